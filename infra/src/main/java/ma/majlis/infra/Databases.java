package ma.majlis.infra;

/** The database each service owns. No service reads another's. */
public final class Databases {

    public static final String CONTENT = "majlis_content";

    public static final String COMMENTS = "majlis_comments";

    private Databases() {
    }
}

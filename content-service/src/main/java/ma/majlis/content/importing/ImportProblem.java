package ma.majlis.content.importing;

/**
 * A page that cannot be imported as it is. {@code field} names what is wrong ({@code frontMatter}, {@code title},
 * {@code slug}, …) so an API can report it; the message says what to change.
 */
public final class ImportProblem extends RuntimeException {

    private final String field;

    public ImportProblem(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

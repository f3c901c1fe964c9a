package ma.majlis.content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The test pages in {@code src/test/resources/pages}, written for the project. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String page(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/pages/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Missing fixture pages/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot read fixture pages/" + name, ex);
        }
    }
}

package ma.majlis.content.importing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict UTF-8: a page that is not valid UTF-8 is refused, never silently patched with U+FFFD. */
public final class Utf8 {

    private Utf8() {
    }

    /** The text {@code bytes} encode, or empty when they are not valid UTF-8. */
    public static Optional<String> decode(ByteBuffer bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes)
                .toString());
        }
        catch (CharacterCodingException ex) {
            return Optional.empty();
        }
    }
}

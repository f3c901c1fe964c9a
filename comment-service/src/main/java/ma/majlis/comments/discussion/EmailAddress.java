package ma.majlis.comments.discussion;

import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/** What Majlis accepts as an e-mail address: the commenter's, and a subscriber's. */
public final class EmailAddress {

    /** RFC 5321's limit on a forward path. */
    private static final int MAX_LENGTH = 254;

    private static final Pattern SHAPE = Pattern.compile("[^\\s@]+@[^\\s@]+\\.[^\\s@]+");

    private EmailAddress() {
    }

    /**
     * The address, trimmed and lower-cased, if {@code text} is one (such as {@code amina@example.ma}): one line of
     * printable characters, at most 254 of them; else null.
     */
    public static @Nullable String normalise(String text) {
        String address = text.strip().toLowerCase(Locale.ROOT);
        if (address.length() > MAX_LENGTH || !SHAPE.matcher(address).matches()
            || !address.codePoints().allMatch(EmailAddress::printable)) {
            return null;
        }
        return address;
    }

    private static boolean printable(int c) {
        int type = Character.getType(c);
        return c > 0x20 && type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
            && type != Character.UNASSIGNED;
    }
}

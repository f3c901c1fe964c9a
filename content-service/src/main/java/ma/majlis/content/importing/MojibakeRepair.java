package ma.majlis.content.importing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Undoes the damage of a tool that decoded UTF-8 as Windows-1252 and wrote the result back as UTF-8:
 * {@code ðŸ§ } becomes 🧠, {@code â€™} becomes ’, {@code Ã©} becomes é.
 *
 * <p>Only runs that are exactly such damage are repaired: the characters, read back as Windows-1252 bytes, must
 * form one complete, valid UTF-8 sequence of two to four bytes. Genuine text (French accents, Arabic, Tifinagh,
 * a lone {@code Ã}) never forms one, so it is left as it is.
 */
public final class MojibakeRepair {

    /** Text repaired twice over by the same tool is repaired by the same number of passes. */
    private static final int MAX_PASSES = 3;

    /** Windows-1252's bytes 0x80–0x9F as Unicode; the five bytes it leaves undefined pass through as C1 controls. */
    private static final String CP1252_HIGH = "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160"
        + "\u2039\u0152\u008D\u017D\u008F\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A"
        + "\u0153\u009D\u017E\u0178";

    private MojibakeRepair() {
    }

    /** The repaired text and what was repaired: each damaged run with its repair and how often it occurred. */
    public record Result(String text, List<Repair> repairs) {

        public boolean changed() {
            return !repairs.isEmpty();
        }
    }

    /** One kind of damage found: {@code damaged} stood {@code count} times and now reads {@code repaired}. */
    public record Repair(String damaged, String repaired, int count) {
    }

    /** Repairs found in several texts, one per kind of damage, counts added up. */
    public static List<Repair> merge(List<Repair> repairs) {
        Map<String, Repair> merged = new LinkedHashMap<>();
        for (Repair repair : repairs) {
            merged.merge(repair.damaged(), repair,
                (a, b) -> new Repair(a.damaged(), a.repaired(), a.count() + b.count()));
        }
        return List.copyOf(merged.values());
    }

    public static Result repair(String text) {
        Map<String, Repair> repairs = new LinkedHashMap<>();
        String current = text;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            String next = onePass(current, repairs);
            if (next.equals(current)) {
                break;
            }
            current = next;
        }
        return new Result(current, List.copyOf(repairs.values()));
    }

    private static String onePass(String text, Map<String, Repair> repairs) {
        StringBuilder out = null;
        int i = 0;
        int copiedUpTo = 0;
        while (i < text.length()) {
            int lead = cp1252Byte(text.charAt(i));
            int length = sequenceLength(lead);
            if (length > 1 && i + length <= text.length()) {
                String decoded = decode(text, i, length);
                if (decoded != null) {
                    if (out == null) {
                        out = new StringBuilder(text.length());
                    }
                    String damaged = text.substring(i, i + length);
                    out.append(text, copiedUpTo, i).append(decoded);
                    repairs.merge(damaged, new Repair(damaged, decoded, 1),
                        (a, b) -> new Repair(a.damaged(), a.repaired(), a.count() + 1));
                    i += length;
                    copiedUpTo = i;
                    continue;
                }
            }
            i++;
        }
        if (out == null) {
            return text;
        }
        return out.append(text, copiedUpTo, text.length()).toString();
    }

    /** The UTF-8 text that {@code length} characters from {@code start} encode, or null if they are not one. */
    private static String decode(String text, int start, int length) {
        byte[] bytes = new byte[length];
        for (int k = 0; k < length; k++) {
            int b = cp1252Byte(text.charAt(start + k));
            if (b < 0 || (k > 0 && (b & 0xC0) != 0x80)) {
                return null;
            }
            bytes[k] = (byte) b;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        }
        catch (CharacterCodingException ex) {
            // Overlong forms, surrogates and code points past U+10FFFF are no UTF-8 a tool ever wrote.
            return null;
        }
    }

    /** How many bytes a UTF-8 sequence starting with {@code lead} has; 0 when it cannot start one. */
    private static int sequenceLength(int lead) {
        if (lead >= 0xC2 && lead <= 0xDF) {
            return 2;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            return 3;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            return 4;
        }
        return 0;
    }

    /** The Windows-1252 byte that shows as {@code c}, or -1 when {@code c} is not one of its characters. */
    private static int cp1252Byte(char c) {
        if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
            return c;
        }
        int index = CP1252_HIGH.indexOf(c);
        return index < 0 ? -1 : 0x80 + index;
    }
}

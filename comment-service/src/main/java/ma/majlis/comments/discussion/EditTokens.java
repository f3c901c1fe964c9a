package ma.majlis.comments.discussion;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edit tokens for anonymous comments. A token is derived from the comment's id with a secret key, handed to the
 * author once, and stored only as its SHA-256; checking one needs nothing but that hash. Deriving (rather than
 * drawing) it lets a repeated request under the same {@code Idempotency-Key} answer the same token without the
 * token ever being stored.
 */
public final class EditTokens {

    private static final Logger log = LoggerFactory.getLogger(EditTokens.class);

    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    public EditTokens(String secret) {
        byte[] bytes;
        if (secret.isBlank()) {
            bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            log.info("No MAJLIS_EDIT_TOKEN_SECRET set: edit tokens are derived from a key drawn at start. They keep"
                + " working after a restart; only a request repeated under the same Idempotency-Key after a restart,"
                + " or on another instance, answers without its token. Set the secret on every instance to avoid that.");
        }
        else {
            bytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        this.key = new SecretKeySpec(bytes, HMAC);
    }

    /** The token of the comment {@code id}. */
    public String token(UUID id) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Every JVM has HmacSHA256", ex);
        }
    }

    /** What is stored of a token. */
    public static String hash(String token) {
        return sha256(token);
    }

    /** Whether {@code token} is the one whose hash is {@code storedHash}, compared in constant time. */
    public static boolean matches(String token, String storedHash) {
        return MessageDigest.isEqual(hash(token).getBytes(StandardCharsets.US_ASCII),
            storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** The SHA-256 of an e-mail address, lower-cased: what identifies an address without storing it. */
    public static String addressHash(String address) {
        return sha256(address.strip().toLowerCase(java.util.Locale.ROOT));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Every JVM has SHA-256", ex);
        }
    }
}

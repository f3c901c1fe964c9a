package ma.majlis.comments.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests as Standard Webhooks does (standardwebhooks.com): HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>}, sent as {@code webhook-signature: v1,<base64>}. A receiver
 * recomputes it with the shared secret and refuses a request whose timestamp is too old, so a captured request
 * cannot be replayed later.
 */
final class WebhookSignature {

    private static final String PREFIX = "whsec_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new secret: {@code whsec_} and 32 random bytes in base64. */
    static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** A {@code whsec_} key of at least 16 bytes, or 16 to 200 printable ASCII characters used as they are. */
    static boolean validSecret(String secret) {
        if (secret.startsWith(PREFIX)) {
            try {
                return Base64.getDecoder().decode(secret.substring(PREFIX.length())).length >= 16;
            }
            catch (IllegalArgumentException ex) {
                return false;
            }
        }
        return secret.length() >= 16 && secret.length() <= 200 && secret.chars().allMatch(c -> c > 0x20 && c < 0x7F);
    }

    /** The key bytes: a {@code whsec_} key's decoded base64, any other secret's UTF-8 bytes. */
    static byte[] key(String secret) {
        return secret.startsWith(PREFIX) ? Base64.getDecoder().decode(secret.substring(PREFIX.length()))
            : secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The {@code webhook-signature} value for this request. */
    static String sign(String secret, String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] signed = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signed);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("Every JVM has HmacSHA256", ex);
        }
    }
}

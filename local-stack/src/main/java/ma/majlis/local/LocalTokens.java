package ma.majlis.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The local stack's signing secret, drawn once and kept in its data folder, and the tokens signed with it:
 * {@code ./run-local token editor moderator} prints one, so a newcomer can try every endpoint.
 */
public final class LocalTokens {

    static final Set<String> ROLES = Set.of("editor", "moderator");

    static final Duration LIFETIME = Duration.ofHours(12);

    private LocalTokens() {
    }

    /** The secret in {@code data}/jwt-secret, drawn and written (readable by its owner only) the first time. */
    public static String secret(Path data) {
        Path file = data.resolve("jwt-secret");
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            Files.createDirectories(data);
            byte[] bytes = new byte[48];
            new SecureRandom().nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.writeString(file, secret + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException ex) {
                // Not a POSIX file system: the folder's own permissions protect it.
            }
            return secret;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read or write the local signing secret " + file, ex);
        }
    }

    /** A token for a local user with {@code roles} (none: a signed-in reader), valid for twelve hours. */
    public static String mint(String secret, List<String> roles) {
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw new IllegalArgumentException("There is no role '" + role + "': use editor, moderator, or"
                    + " neither for a signed-in reader.");
            }
        }
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
            .subject(roles.isEmpty() ? "local-reader" : "local-" + String.join("-", roles))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .claim("roles", roles)
            .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Could not sign a local token: " + ex.getMessage(), ex);
        }
        return jwt.serialize();
    }
}

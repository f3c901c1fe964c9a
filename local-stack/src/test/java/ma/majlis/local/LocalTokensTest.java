package ma.majlis.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local stack's secret is drawn once and kept; its tokens carry the roles asked for, signed with it. */
class LocalTokensTest {

    @Test
    void drawsTheSecretOnceAndKeepsIt(@TempDir Path data) {
        String first = LocalTokens.secret(data);
        assertThat(first.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);
        assertThat(LocalTokens.secret(data)).isEqualTo(first);
    }

    @Test
    void signsATokenWithTheRolesAskedFor(@TempDir Path data) throws Exception {
        String secret = LocalTokens.secret(data);
        SignedJWT token = SignedJWT.parse(LocalTokens.mint(secret, List.of("editor", "moderator")));

        assertThat(token.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(token.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("editor", "moderator");
        assertThat(token.getJWTClaimsSet().getExpirationTime()).isInTheFuture();
    }

    @Test
    void refusesARoleThatDoesNotExist() {
        assertThatThrownBy(() -> LocalTokens.mint("x".repeat(48), List.of("admin")))
            .hasMessageContaining("no role 'admin'");
    }
}

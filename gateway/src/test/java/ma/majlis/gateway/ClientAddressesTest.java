package ma.majlis.gateway;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whose address a request is counted against. */
class ClientAddressesTest {

    final ClientAddresses behindProxies = new ClientAddresses(List.of("10.0.0.0/8", "192.168.1.10", "fd00::/8"));

    @Test
    void ignoresForwardedForFromAnUntrustedPeer() {
        assertThat(behindProxies.of("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
        assertThat(new ClientAddresses(List.of()).of("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("127.0.0.1");
    }

    @Test
    void takesTheNearestUntrustedAddressBehindTrustedProxies() {
        assertThat(behindProxies.of("10.1.2.3", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        // The client wrote a fake first hop itself; the address our proxy saw is the one that counts.
        assertThat(behindProxies.of("10.1.2.3", List.of("1.2.3.4, 198.51.100.1, 192.168.1.10")))
            .isEqualTo("198.51.100.1");
        assertThat(behindProxies.of("fd12::1", List.of("2001:db8::5"))).isEqualTo("2001:db8::5");
    }

    @Test
    void fallsBackToThePeerWhenATrustedProxySaysNothing() {
        assertThat(behindProxies.of("10.1.2.3", List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void refusesATrustedProxyThatIsNotAnAddress() {
        assertThatThrownBy(() -> new ClientAddresses(List.of("proxy.example"))).hasMessageContaining("MAJLIS_TRUSTED_PROXIES");
    }
}

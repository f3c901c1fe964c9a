package ma.majlis.comments.notify;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the default settings, webhooks cannot point inside the network Majlis runs in: loopback, link-local (the
 * cloud metadata address among them), private and unique-local addresses are refused with a problem, by name or by
 * number, and nothing is stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { "majlis.notifications.allow-private-webhooks=false",
        "majlis.notifications.allowed-webhook-hosts=hooks.internal.test" })
@AutoConfigureWebTestClient
@ImportRealInfrastructure
@DirtiesContext
class PrivateWebhooksTest {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    Environment environment;

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1:8082/api/comments", "http://localhost/", "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://192.168.1.1/", "http://172.16.0.1/",
        "http://[fd00::1]/", "http://0.0.0.0/", "http://100.64.0.1/", "http://[::ffff:127.0.0.1]/" })
    void refusesAWebhookThatPointsAtAPrivateAddress(String url) {
        long before = webhooks();
        client.post().uri("/api/webhooks").header("Authorization", new NotificationTests(client, environment).editor())
            .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("url", url)).exchange()
            .expectStatus().isEqualTo(422)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody()
            .jsonPath("$.type").isEqualTo("/problems/webhook-address-refused")
            .jsonPath("$.errors[0].field").isEqualTo("url");
        assertThat(webhooks()).isEqualTo(before);
    }

    @Test
    void tellsPublicFromPrivateAddresses() throws Exception {
        for (String address : List.of("93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "1.1.1.1")) {
            assertThat(WebhookAddresses.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
        for (String address : List.of("127.0.0.1", "10.1.2.3", "172.31.255.255", "192.168.0.1", "169.254.169.254",
            "100.100.100.200", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "::",
            "198.18.0.1", "192.0.0.8")) {
            assertThat(WebhookAddresses.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
    }

    @Test
    void anOperatorMayAllowANamedHost() {
        WebhookAddresses addresses = new WebhookAddresses(false, List.of("Hooks.Internal.Test"));
        assertThat(addresses.refusal("hooks.internal.test", List.of(InetAddress.getLoopbackAddress()))).isNull();
        assertThat(addresses.refusal("other.internal.test", List.of(InetAddress.getLoopbackAddress())))
            .contains("127.0.0.1");
    }

    private long webhooks() {
        return database.sql("select count(*) as n from webhook").map((row, meta) -> row.get("n", Long.class))
            .one().block();
    }
}

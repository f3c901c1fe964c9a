package ma.majlis.comments.notify;

import ma.majlis.testing.ImportRealInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The notification tests' comment-service: the one test context in the JVM whose notifier runs (every other leaves
 * it off; see application.properties), shared by every class that extends this one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = NotificationTests.ENABLED)
@AutoConfigureWebTestClient
@ImportRealInfrastructure
abstract class NotifyingService {

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Autowired
    Environment environment;

    NotificationTests api;

    @BeforeEach
    void api() {
        api = new NotificationTests(client, environment);
    }
}

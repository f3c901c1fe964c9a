package ma.majlis.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalSettingsTest {

    final Path home = Path.of("/srv/majlis");

    @Test
    void defaultsPutTheGatewayOn8080AndTheDataInTheCheckout() {
        LocalSettings settings = LocalSettings.from(Map.of(), home);
        assertThat(settings.port(LocalSettings.GATEWAY_PORT)).isEqualTo(8080);
        assertThat(settings.port(LocalSettings.CONTENT_PORT)).isEqualTo(8081);
        assertThat(settings.port(LocalSettings.COMMENT_PORT)).isEqualTo(8082);
        assertThat(settings.dataDirectory()).isEqualTo(Path.of("/srv/majlis/.majlis-local"));
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(settings.docs()).isEqualTo(Path.of("/srv/majlis/samples/docs"));
    }

    @Test
    void takesPortsFolderTimeoutAndJavaOptionsFromTheEnvironment() {
        LocalSettings settings = LocalSettings.from(Map.of(
            "MAJLIS_GATEWAY_PORT", "9080",
            "MAJLIS_LOCAL_DATA", "/var/lib/majlis",
            "MAJLIS_START_TIMEOUT", "90s",
            "MAJLIS_TOPIC_PARTITIONS", "6",
            "MAJLIS_SERVICE_JAVA_OPTS", "-Xmx1g  -XX:+UseG1GC"), home);
        assertThat(settings.port(LocalSettings.GATEWAY_PORT)).isEqualTo(9080);
        assertThat(settings.dataDirectory()).isEqualTo(Path.of("/var/lib/majlis"));
        assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.topicPartitions()).isEqualTo(6);
        assertThat(settings.serviceJavaOptions()).containsExactly("-Xmx1g", "-XX:+UseG1GC");
    }

    @Test
    void aServiceMayHaveJavaOptionsOfItsOwnInsteadOfTheCommonOnes() {
        LocalSettings settings = LocalSettings.from(Map.of(
            "MAJLIS_SERVICE_JAVA_OPTS", "-Xmx144m -XX:+UseSerialGC",
            "MAJLIS_GATEWAY_JAVA_OPTS", " -Xmx176m  -XX:+UseSerialGC ",
            "MAJLIS_CONTENT_SERVICE_JAVA_OPTS", " "), home);
        assertThat(settings.javaOptions("gateway")).containsExactly("-Xmx176m", "-XX:+UseSerialGC");
        assertThat(settings.javaOptions("comment-service")).containsExactly("-Xmx144m", "-XX:+UseSerialGC");
        assertThat(settings.javaOptions("content-service")).as("blank: the common ones")
            .containsExactly("-Xmx144m", "-XX:+UseSerialGC");
        assertThat(LocalSettings.javaOptionsVariable("comment-service")).isEqualTo("MAJLIS_COMMENT_SERVICE_JAVA_OPTS");
    }

    @Test
    void namesTheVariableOfAPortThatIsNotANumber() {
        assertThatThrownBy(() -> LocalSettings.from(Map.of("MAJLIS_KAFKA_PORT", "kafka"), home))
            .isInstanceOf(LocalSettings.InvalidSetting.class)
            .hasMessage("MAJLIS_KAFKA_PORT must be a whole number from 1 to 65535; it is 'kafka'.");
    }

    @Test
    void refusesTwoPartsOnOnePort() {
        assertThatThrownBy(() -> LocalSettings.from(Map.of("MAJLIS_CONTENT_PORT", "8080"), home))
            .isInstanceOf(LocalSettings.InvalidSetting.class)
            .hasMessageContaining("same port 8080");
    }

    @Test
    void refusesATimeoutItCannotRead() {
        assertThatThrownBy(() -> LocalSettings.from(Map.of("MAJLIS_START_TIMEOUT", "soon"), home))
            .hasMessage("MAJLIS_START_TIMEOUT must be a duration such as 90s or 3m; it is 'soon'.");
    }
}

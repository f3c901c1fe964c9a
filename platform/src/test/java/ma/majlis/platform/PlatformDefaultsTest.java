package ma.majlis.platform;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings every service shares, beneath its own, and what an operator's variables turn them into. */
class PlatformDefaultsTest {

    private static StandardEnvironment environment(Map<String, Object> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("operator", variables));
        new PlatformDefaults().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void writesPlainLinesWithTraceAndRequestIdsAndSendsNoSpansByDefault() {
        StandardEnvironment environment = environment(Map.of());
        assertThat(environment.getProperty("logging.structured.format.console")).isEmpty();
        assertThat(environment.getProperty("logging.pattern.correlation"))
            .contains("%X{traceId", "%X{spanId", "%X{requestId");
        assertThat(environment.getProperty("spring.reactor.context-propagation")).isEqualTo("limited");
        assertThat(environment.getProperty("management.observations.enable.spring.security")).isEqualTo("false");
        assertThat(environment.containsProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
            .as("Boot would send spans to an empty endpoint").isFalse();
        assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("0.1");
    }

    @Test
    void switchesToJsonLinesAndSendsSpansWhereTheOperatorSays() {
        StandardEnvironment environment = environment(Map.of("MAJLIS_LOG_FORMAT", "ecs",
            "MAJLIS_OTLP_TRACING_ENDPOINT", " http://collector:4318/v1/traces ",
            "MAJLIS_TRACING_SAMPLING_PROBABILITY", "1.0"));
        assertThat(environment.getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(environment.getProperty("management.opentelemetry.tracing.export.otlp.endpoint"))
            .isEqualTo("http://collector:4318/v1/traces");
        assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
    }

    @Test
    void staysBeneathWhatTheServiceAndTheOperatorSet() {
        StandardEnvironment environment = environment(Map.of("spring.reactor.context-propagation", "limited"));
        assertThat(environment.getProperty("spring.reactor.context-propagation")).isEqualTo("limited");
    }
}

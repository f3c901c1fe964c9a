package ma.majlis.platform;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * Puts the settings every Majlis service shares (tracing, log correlation) beneath each service's own
 * configuration, so that a service's application.yml or an operator's environment variable still decides.
 */
public class PlatformDefaults implements EnvironmentPostProcessor, Ordered {

    static final String NAME = "majlisPlatformDefaults";

    /** Where to send spans over OTLP/HTTP; none are sent without it. */
    static final String TRACING_ENDPOINT = "MAJLIS_OTLP_TRACING_ENDPOINT";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(NAME)) {
            return;
        }
        ResourcePropertySource defaults;
        try {
            defaults = new ResourcePropertySource(NAME, "classpath:ma/majlis/platform/defaults.properties");
        } catch (IOException e) {
            throw new UncheckedIOException("The platform's default settings could not be read from its jar", e);
        }
        // Boot sends spans as soon as an endpoint property exists, even an empty one: set it only when given.
        String endpoint = environment.getProperty(TRACING_ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            defaults.getSource().put("management.opentelemetry.tracing.export.otlp.endpoint", endpoint.trim());
        }
        environment.getPropertySources().addLast(defaults);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}

package ma.majlis.platform;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.security.config.observation.SecurityObservationSettings;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring Security's chain is not observed, unless a service says otherwise. */
class SecurityObservationsTest {

    final ApplicationContextRunner context = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PlatformAutoConfiguration.class));

    @Test
    void noPartOfTheSecurityChainIsObservedByDefault() {
        context.run(started -> {
            SecurityObservationSettings settings = started.getBean(SecurityObservationSettings.class);
            assertThat(settings.shouldObserveRequests()).isFalse();
            assertThat(settings.shouldObserveAuthentications()).isFalse();
            assertThat(settings.shouldObserveAuthorizations()).isFalse();
        });
    }

    @Test
    void aServiceThatWantsObservationsKeepsItsOwnSettings() {
        context.withBean(SecurityObservationSettings.class, () -> SecurityObservationSettings.withDefaults().shouldObserveRequests(true).build())
            .run(started -> assertThat(started.getBean(SecurityObservationSettings.class).shouldObserveRequests())
                .isTrue());
    }
}

package ma.majlis.platform.web;

import java.util.concurrent.atomic.AtomicReference;

import ma.majlis.platform.PlatformAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.WebSessionManager;

import static org.assertj.core.api.Assertions.assertThat;

/** A service keeps no sessions: each request's is its own, made on the thread that asks, and kept nowhere. */
class NoWebSessionsTest {

    final ReactiveWebApplicationContextRunner context = new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PlatformAutoConfiguration.class,
            WebFluxAutoConfiguration.class));

    @Test
    void aServicesRequestGetsItsSessionOnTheThreadThatAskedWithoutAHandOff() {
        context.run(started -> {
            WebSessionManager sessions = started.getBean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME,
                WebSessionManager.class);
            AtomicReference<Thread> arrivedOn = new AtomicReference<>();
            WebSession session = sessions.getSession(exchange())
                .doOnNext(made -> arrivedOn.set(Thread.currentThread()))
                .block();
            assertThat(session).isNotNull();
            // Spring's own manager makes a new session on one of Reactor's threads, and hands it over on another.
            assertThat(arrivedOn.get()).isSameAs(Thread.currentThread());
        });
    }

    @Test
    void whatARequestPutsInItsSessionIsNotThereForTheNext() {
        NoWebSessions sessions = new NoWebSessions();
        WebSession first = sessions.getSession(exchange()).block();
        first.getAttributes().put("reader", "Amina");
        first.save().block();

        WebSession next = sessions.getSession(exchange()).block();
        assertThat(next.getAttributes()).isEmpty();
        assertThat(next.isStarted()).isFalse();
        assertThat(first.isStarted()).as("a session with attributes counts as started, as Spring's do").isTrue();
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/api/articles"));
    }
}

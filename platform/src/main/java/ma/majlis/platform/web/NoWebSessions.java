package ma.majlis.platform.web;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.server.session.WebSessionManager;
import reactor.core.publisher.Mono;

/**
 * The web session of a request to a Majlis service, which keeps none: requests carry bearer tokens, never cookies,
 * and nothing is remembered between them.
 *
 * <p>Spring's own manager, asked for a request's session, reads the request's cookies for one, and, finding none,
 * makes one on a thread of Reactor's elastic pool (its id comes from a source of randomness that may block) and
 * comes back on another of Reactor's threads: two hand-offs between threads for every request that asks, and
 * something in WebFlux or Spring Security asks for every request (bench/FINDINGS.md). This manager answers at once
 * with a session of the request's own, kept nowhere: what is put into it is gone with the request, and no cookie is
 * ever set.
 */
public final class NoWebSessions implements WebSessionManager {

    @Override
    public Mono<WebSession> getSession(ServerWebExchange exchange) {
        return Mono.just(new RequestSession());
    }

    /** A session that lives as long as its request. */
    private static final class RequestSession implements WebSession {

        private final Map<String, Object> attributes = new HashMap<>();

        private final Instant created = Instant.now();

        private Duration maxIdleTime = Duration.ZERO;

        private boolean started;

        @Override
        public String getId() {
            return "";
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public void start() {
            started = true;
        }

        @Override
        public boolean isStarted() {
            return started || !attributes.isEmpty();
        }

        @Override
        public Mono<Void> changeSessionId() {
            return Mono.empty();
        }

        @Override
        public Mono<Void> invalidate() {
            attributes.clear();
            started = false;
            return Mono.empty();
        }

        /** Stores nothing: there is no session store. */
        @Override
        public Mono<Void> save() {
            return Mono.empty();
        }

        @Override
        public boolean isExpired() {
            return false;
        }

        @Override
        public Instant getCreationTime() {
            return created;
        }

        @Override
        public Instant getLastAccessTime() {
            return created;
        }

        @Override
        public void setMaxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = maxIdleTime;
        }

        @Override
        public Duration getMaxIdleTime() {
            return maxIdleTime;
        }
    }
}

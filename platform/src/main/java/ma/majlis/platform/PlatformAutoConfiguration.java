package ma.majlis.platform;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import ma.majlis.platform.web.AsynchronousCompletion;
import ma.majlis.platform.web.ClosingConnections;
import ma.majlis.platform.web.ConnectionLimit;
import ma.majlis.platform.web.DecodingFailureBodies;
import ma.majlis.platform.web.EmptyErrorBodies;
import ma.majlis.platform.web.NoWebSessions;
import ma.majlis.platform.web.ProblemErrorHandler;
import ma.majlis.platform.web.ProblemResponses;
import ma.majlis.platform.web.RejectedRequests;
import ma.majlis.platform.web.RequestIds;
import ma.majlis.platform.web.UnobservedStreams;
import ma.majlis.platform.web.UnreadableAccept;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import org.springframework.web.server.session.WebSessionManager;
import tools.jackson.databind.json.JsonMapper;

/** Wires the shared operational conventions into any Majlis service that has this module. */
// By name: the gateway has no Kafka, and a class reference here would be logged as missing at its every start.
@AutoConfiguration(afterName = { "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
    "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration" },
    // Before WebFlux's, whose session manager gives way to one named webSessionManager (NoWebSessions).
    beforeName = "org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration")
public class PlatformAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.bind.annotation.RestControllerAdvice")
    static class ProblemResponsesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ProblemResponses problemResponses() {
            return new ProblemResponses();
        }

        @Bean
        @ConditionalOnMissingBean
        AsynchronousCompletion asynchronousCompletion() {
            return new AsynchronousCompletion();
        }

        /** No service keeps sessions: the name Spring WebFlux looks the manager up by. */
        @Bean(WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
        @ConditionalOnMissingBean(name = WebHttpHandlerBuilder.WEB_SESSION_MANAGER_BEAN_NAME)
        WebSessionManager webSessionManager() {
            return new NoWebSessions();
        }

        @Bean
        @ConditionalOnMissingBean
        RequestIds requestIds() {
            return new RequestIds();
        }

        @Bean
        UnobservedStreams unobservedStreams() {
            return new UnobservedStreams();
        }

        @Bean
        @ConditionalOnMissingBean
        ClosingConnections closingConnections() {
            return new ClosingConnections();
        }

        @Bean
        @ConditionalOnMissingBean
        ProblemErrorHandler problemErrorHandler(JsonMapper json) {
            return new ProblemErrorHandler(json);
        }

        @Bean
        @ConditionalOnMissingBean
        EmptyErrorBodies emptyErrorBodies(ProblemErrorHandler problems) {
            return new EmptyErrorBodies(problems);
        }

        @Bean
        @ConditionalOnMissingBean
        UnreadableAccept unreadableAccept(ProblemErrorHandler problems) {
            return new UnreadableAccept(problems);
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory")
        WebServerFactoryCustomizer<NettyReactiveWebServerFactory> decodingFailureBodies() {
            return DecodingFailureBodies.customizer();
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnClass(name = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory")
        ConnectionLimit connectionLimit(@Value("${majlis.web.max-connections:0}") int maxConnections,
            ObjectProvider<MeterRegistry> meters) {
            ConnectionLimit limit = new ConnectionLimit(maxConnections);
            meters.ifAvailable(limit::measuredBy);
            return limit;
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory")
        WebServerFactoryCustomizer<NettyReactiveWebServerFactory> connectionLimitCustomizer(ConnectionLimit limit) {
            return limit.customizer();
        }
    }

    /** Spring Security's firewall refusals as problems, in every part that has Spring Security. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler")
    static class RejectedRequestsConfiguration {

        @Bean
        @ConditionalOnMissingBean(org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler.class)
        RejectedRequests rejectedRequests(ProblemErrorHandler problems) {
            return new RejectedRequests(problems);
        }
    }

    /**
     * No observation of Spring Security's filter chain. With observations on, each of its filters is wrapped for
     * every request, and a stream keeps those wrappers for as long as it is open (bench/FINDINGS.md); what they
     * measured, each phase of the security chain, nobody here reads.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.security.config.observation.SecurityObservationSettings")
    static class SecurityObservations {

        @Bean
        @ConditionalOnMissingBean
        org.springframework.security.config.observation.SecurityObservationSettings securityObservationSettings() {
            return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(KafkaAdmin.class)
    @ConditionalOnBean(KafkaAdmin.class)
    @ConditionalOnEnabledHealthIndicator("kafka")
    static class KafkaHealth {

        @Bean
        @ConditionalOnMissingBean(name = "kafkaHealthIndicator")
        KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin kafkaAdmin,
            @Value("${management.health.kafka.timeout:3s}") Duration timeout) {
            Map<String, Object> configuration = new HashMap<>(kafkaAdmin.getConfigurationProperties());
            configuration.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "majlis-health");
            // Fail fast and quietly while the broker is away: health is polled, so no long retries.
            configuration.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2000);
            return new KafkaHealthIndicator(configuration, timeout);
        }
    }

    /**
     * Names the service in its OpenAPI document, and lists one relative server, so that the document is right
     * whether it is read from the service or through the gateway.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springdoc.core.customizers.OpenApiCustomizer")
    static class ApiDocument {

        @Bean
        @ConditionalOnMissingBean
        OpenApiCustomizer majlisApiDocument(@Value("${spring.application.name:majlis}") String name,
            @Value("${majlis.api.description:}") String description) {
            return api -> {
                api.setServers(List.of(new Server().url("/").description("wherever this document was read from")));
                api.setInfo(new Info().title("Majlis " + name).version("1")
                    .description(description.isBlank() ? null : description)
                    .license(new License().name("Apache-2.0")));
            };
        }
    }
}

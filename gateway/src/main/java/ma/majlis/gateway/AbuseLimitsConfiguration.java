package ma.majlis.gateway;

import java.time.Duration;
import java.util.Arrays;

import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import ma.majlis.platform.web.ConnectionLimit;
import ma.majlis.platform.web.StreamCapacity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The limit on request headers, the write limits per client, where their buckets are kept, and whom the gateway trusts to say who the client
 * is. With {@code majlis.gateway.writes.redis-url} set, the buckets live in that Redis and every replica shares
 * them; without it, each gateway keeps its own.
 */
@Configuration(proxyBeanMethods = false)
class AbuseLimitsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AbuseLimitsConfiguration.class);

    @Bean
    ClientAddresses clientAddresses(@Value("${majlis.gateway.trusted-proxies:}") String trustedProxies) {
        return new ClientAddresses(Arrays.asList(trustedProxies.split(",")));
    }

    @Bean
    WriteAllowance.Limits writeLimits(@Value("${majlis.gateway.writes.burst:10}") int burst,
        @Value("${majlis.gateway.writes.per-minute:30}") int perMinute) {
        return new WriteAllowance.Limits(burst, perMinute);
    }

    @Bean
    @ConditionalOnExpression("'${majlis.gateway.writes.redis-url:}' == ''")
    WriteAllowance localWriteAllowance(WriteAllowance.Limits limits) {
        log.info("Write limits are kept in this gateway's memory: {} at once, then {} a minute per client. "
            + "Set MAJLIS_REDIS_URL to share them between gateway replicas.", limits.burst(), limits.perMinute());
        return new LocalWriteAllowance(limits);
    }

    /**
     * Most of the gateway's connections are readers who joined a feed, which hold a fraction of what a request being
     * served holds ({@link StreamLimit#JOINED_READER_BYTES}): a gateway holds as many connections as half of its heap
     * holds at that size (11,314 with {@code -Xmx160m}), where the services hold a quarter at 12 KB. The stream limit
     * keeps the readers piped through, which hold much more, within the same half.
     */
    @Bean
    ConnectionLimit connectionLimit(@Value("${majlis.web.max-connections:0}") int configured,
        ObjectProvider<MeterRegistry> meters) {
        ConnectionLimit limit = new ConnectionLimit(configured,
            StreamCapacity.forHeap(Runtime.getRuntime().maxMemory(), StreamLimit.JOINED_READER_BYTES));
        meters.ifAvailable(limit::measuredBy);
        return limit;
    }

    @Bean
    HeaderSizeLimit headerSizeLimit(@Value("${majlis.gateway.max-header-bytes:16KB}") DataSize limit) {
        return new HeaderSizeLimit(limit);
    }

    @Bean
    WebServerFactoryCustomizer<NettyReactiveWebServerFactory> nettyHeaderCeiling(
        @Value("${majlis.gateway.max-header-bytes:16KB}") DataSize limit) {
        return HeaderSizeLimit.nettyCeiling(limit);
    }

    @Bean
    WriteRateLimit writeRateLimit(ClientAddresses clients, WriteAllowance allowance) {
        return new WriteRateLimit(clients, allowance);
    }

    /** Redis, only when an operator has named one: nothing connects to Redis otherwise. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression("'${majlis.gateway.writes.redis-url:}' != ''")
    static class SharedBuckets {

        @Bean
        LettuceConnectionFactory writeLimitsRedis(@Value("${majlis.gateway.writes.redis-url}") String url) {
            RedisURI uri = RedisURI.create(url);
            LettuceClientConfiguration client = LettuceClientConfiguration.builder().apply(uri).build();
            return new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(uri), client);
        }

        @Bean
        ReactiveStringRedisTemplate writeLimitsRedisTemplate(LettuceConnectionFactory writeLimitsRedis) {
            return new ReactiveStringRedisTemplate(writeLimitsRedis);
        }

        @Bean
        WriteAllowance redisWriteAllowance(ReactiveStringRedisTemplate writeLimitsRedisTemplate,
            WriteAllowance.Limits limits, @Value("${majlis.gateway.writes.redis-timeout:250ms}") Duration timeout) {
            log.info("Write limits are kept in Redis and shared by every gateway replica that uses it: {} at once, "
                + "then {} a minute per client.", limits.burst(), limits.perMinute());
            return new RedisWriteAllowance(writeLimitsRedisTemplate, limits, timeout);
        }
    }
}

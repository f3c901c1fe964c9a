package ma.majlis.gateway;

import java.time.Duration;
import java.util.UUID;

import io.lettuce.core.RedisURI;
import ma.majlis.testing.RealInfrastructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** Write buckets kept by a real Redis server, and what the gateway does when Redis is not there. */
class RedisWriteAllowanceTest {

    LettuceConnectionFactory connections;

    @AfterEach
    void close() {
        if (connections != null) {
            connections.destroy();
        }
    }

    private ReactiveStringRedisTemplate redisAt(String url) {
        RedisURI uri = RedisURI.create(url);
        connections = new LettuceConnectionFactory(LettuceConnectionFactory.createRedisConfiguration(uri));
        connections.afterPropertiesSet();
        connections.start();
        return new ReactiveStringRedisTemplate(connections);
    }

    @Test
    void admitsTheBurstThenRefusesThenRefillsOnRedissClock() throws InterruptedException {
        // Two writes at once, then one every 100 ms.
        RedisWriteAllowance allowance = new RedisWriteAllowance(redisAt(RealInfrastructure.redisUrl()),
            new WriteAllowance.Limits(2, 600), Duration.ofSeconds(2));
        String client = "subject:" + UUID.randomUUID();

        assertThat(allowance.take(client).block()).isZero();
        assertThat(allowance.take(client).block()).isZero();
        assertThat(allowance.take(client).block()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));

        Thread.sleep(250);
        assertThat(allowance.take(client).block()).as("a write came back after its period").isZero();
        assertThat(allowance.take(client).block()).as("two came back: the burst").isZero();
        assertThat(allowance.take(client).block()).as("but not a third").isPositive();
    }

    @Test
    void keepsEachBucketUnderItsOwnKeyThatExpiresOnceFull() {
        ReactiveStringRedisTemplate redis = redisAt(RealInfrastructure.redisUrl());
        RedisWriteAllowance allowance = new RedisWriteAllowance(redis, new WriteAllowance.Limits(1, 1),
            Duration.ofSeconds(2));
        String client = "address:" + UUID.randomUUID();

        assertThat(allowance.take(client).block()).isZero();
        assertThat(allowance.take(client).block()).isGreaterThan(Duration.ofSeconds(59));
        assertThat(allowance.take("address:" + UUID.randomUUID()).block()).isZero();
        assertThat(redis.getExpire(RedisWriteAllowance.KEY_PREFIX + client).block())
            .as("the key goes once the bucket would be full again")
            .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(62));
    }

    @Test
    void limitsWritesOnItsOwnWhenRedisDoesNotAnswer() {
        RedisWriteAllowance allowance = new RedisWriteAllowance(redisAt("redis://127.0.0.1:1"),
            new WriteAllowance.Limits(2, 1), Duration.ofMillis(250));

        assertThat(allowance.take("address:198.51.100.1").block()).isZero();
        assertThat(allowance.take("address:198.51.100.1").block()).isZero();
        assertThat(allowance.take("address:198.51.100.1").block()).as("still limited, by this gateway")
            .isPositive();
    }
}

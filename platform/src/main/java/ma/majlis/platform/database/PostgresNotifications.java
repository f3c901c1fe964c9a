package ma.majlis.platform.database;

import java.time.Duration;

import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * PostgreSQL's LISTEN/NOTIFY as a Flux: a signal each time a transaction that notified on a channel commits. A
 * trigger ({@code perform pg_notify(channel, '')}) makes a table's inserts wake whoever waits for them, on every
 * instance, only once they are visible.
 */
public final class PostgresNotifications {

    private static final Logger log = LoggerFactory.getLogger(PostgresNotifications.class);

    private static final Duration LISTEN_RETRY = Duration.ofSeconds(2);

    private PostgresNotifications() {
    }

    /**
     * The factory to listen with: listening holds a connection for good, so it comes from the pool's own factory,
     * not from the pool.
     */
    public static ConnectionFactory unpooled(ConnectionFactory connections) {
        return connections instanceof Wrapped<?> pool && pool.unwrap() instanceof ConnectionFactory inner ? inner
            : connections;
    }

    /**
     * Listens on {@code channel} over a connection of its own. When PostgreSQL goes away, it listens again once it
     * is back; callers poll as well, for what was committed meanwhile.
     */
    public static Flux<Long> listen(ConnectionFactory factory, String channel) {
        return Flux.usingWhen(factory.create(),
                connection -> {
                    if (!(connection instanceof PostgresqlConnection postgres)) {
                        return Flux.<Long>empty();
                    }
                    return postgres.createStatement("listen " + channel).execute()
                        .flatMap(result -> result.getRowsUpdated())
                        .thenMany(postgres.getNotifications().map(notification -> 0L));
                },
                Connection::close)
            .repeatWhen(ends -> ends.delayElements(LISTEN_RETRY))
            .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, LISTEN_RETRY)
                .doBeforeRetry(retry -> log.debug("Listening on {} again after: {}", channel,
                    retry.failure().toString())));
    }
}

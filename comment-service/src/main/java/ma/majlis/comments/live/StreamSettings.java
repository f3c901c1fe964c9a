package ma.majlis.comments.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the live streams behave (README, "Settings").
 *
 * @param retry how long a browser waits before it reconnects (the SSE {@code retry} field)
 * @param heartbeat how often an idle stream sends a comment line, so proxies keep it open
 * @param buffer how many events a reader may fall behind before its stream is closed; it catches up on reconnect
 * @param maxOpen how many streams this instance holds open at once (beyond it, 503 with {@code Retry-After}); 0 for
 * as many as half of the heap holds ({@code StreamCapacity})
 */
@ConfigurationProperties("majlis.streams")
public record StreamSettings(@DefaultValue("3s") Duration retry, @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("256") int buffer, @DefaultValue("0") int maxOpen) {
}

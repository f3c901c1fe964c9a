package ma.majlis.comments;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock, which a test can move forward. */
public final class MutableClock extends Clock {

    private volatile Duration ahead = Duration.ZERO;

    /** Back to the system's time. */
    public void reset() {
        ahead = Duration.ZERO;
    }

    public void advance(Duration by) {
        ahead = ahead.plus(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("A test clock stays in UTC");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead);
    }
}

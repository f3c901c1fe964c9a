package ma.majlis.platform.web;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.util.context.ContextView;

/**
 * Writes a log line for a request with the request's trace, span and request ids in the logging context.
 *
 * <p>The services restore those ids only where a line is written ({@code spring.reactor.context-propagation=limited}),
 * not at every step of every request: code that logs from a reactive chain passes the chain's context here.
 * Controller methods, and {@code handle} and {@code tap} operators, have them restored already.
 */
public final class RequestLogging {

    private static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

    private RequestLogging() {
    }

    /** Runs {@code statement} with the ids found in {@code context} in the logging context, and removes them after. */
    public static void log(ContextView context, Runnable statement) {
        try (ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
            statement.run();
        }
    }
}

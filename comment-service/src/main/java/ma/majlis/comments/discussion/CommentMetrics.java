package ma.majlis.comments.discussion;

import java.net.URI;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;

/**
 * What becomes of the comments readers post: {@code majlis.comments.posted} (tagged with the new comment's
 * status, published or pending) and {@code majlis.comments.rejected} (tagged with the reason: the problem type the
 * reader was answered with, such as {@code invalid-comment} or {@code comments-closed}).
 */
@Component
class CommentMetrics {

    private final MeterRegistry meters;

    CommentMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void created(String status) {
        Counter.builder("majlis.comments.posted")
            .description("Comments stored (a repeated request under the same Idempotency-Key is not counted again)")
            .tag("status", status)
            .register(meters)
            .increment();
    }

    void rejected(Throwable failure) {
        if (!(failure instanceof ErrorResponse problem) || problem.getStatusCode().is5xxServerError()) {
            return;
        }
        URI type = problem.getBody().getType();
        String path = type.getPath();
        String reason = path == null || path.isEmpty() || "about:blank".equals(type.toString())
            ? Integer.toString(problem.getStatusCode().value())
            : path.substring(path.lastIndexOf('/') + 1);
        Counter.builder("majlis.comments.rejected")
            .description("Comments refused with a client error, by the problem type answered")
            .tag("reason", reason)
            .register(meters)
            .increment();
    }
}

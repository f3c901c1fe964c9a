package ma.majlis.comments.notify;

import java.util.List;

import ma.majlis.platform.web.Problems;
import ma.majlis.platform.web.Problems.FieldError;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import static ma.majlis.platform.web.Problems.problem;

/** The problems the subscription and webhook endpoints answer with. */
final class NotificationProblems {

    private NotificationProblems() {
    }

    static ErrorResponseException invalidSubscription(List<FieldError> errors) {
        return Problems.withErrors(problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-subscription",
            "The subscription cannot be made", detail(errors)), errors);
    }

    static ErrorResponseException invalidWebhook(List<FieldError> errors) {
        return Problems.withErrors(problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-webhook",
            "The webhook cannot be registered", detail(errors)), errors);
    }

    static ErrorResponseException webhookAddressRefused(String host, String reason) {
        return Problems.withError(problem(HttpStatus.UNPROCESSABLE_CONTENT, "webhook-address-refused",
            "The webhook's address is not allowed",
            "The host " + host + " " + reason + ". Webhooks go to public addresses only, unless the operator allows "
                + "this host (MAJLIS_WEBHOOK_ALLOWED_HOSTS) or private addresses (MAJLIS_WEBHOOK_ALLOW_PRIVATE)."),
            "url", "must point at a public address");
    }

    static ErrorResponseException noWebhook(String id) {
        return problem(HttpStatus.NOT_FOUND, "webhook-not-found", "No such webhook",
            "There is no webhook " + id + ". GET /api/webhooks lists them.");
    }

    private static String detail(List<FieldError> errors) {
        return errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message() + "."
            : "Fix these fields: " + String.join(", ", errors.stream().map(FieldError::field).toList()) + ".";
    }
}

package ma.majlis.comments.discussion;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ma.majlis.platform.web.Problems.FieldError;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A comment as a reader sends it, checked field by field: every problem is collected, so one answer names them all.
 *
 * @param authorName the display name, trimmed
 * @param body the Markdown, with line ends made {@code \n}
 * @param parentId the comment it replies to, if any
 * @param emailHash the SHA-256 of the lower-cased address, if one was given
 * @param followReplies the address and mode of a request to be mailed the replies to this comment
 * ({@code "notifyReplies": true}); only then is the address itself kept, in the subscription
 */
record CommentInput(String authorName, String body, @Nullable UUID parentId, @Nullable String emailHash,
    ReplyFollowing.@Nullable Request followReplies) {

    /** The checked input, or the problems found. */
    record Checked(@Nullable CommentInput input, List<FieldError> errors) {
    }

    static Checked check(JsonNode json, CommentSettings settings) {
        List<FieldError> errors = new ArrayList<>();
        String name = JsonFields.text(json, "authorName", errors);
        String body = JsonFields.text(json, "body", errors);
        String parent = JsonFields.text(json, "parentId", errors);
        String email = JsonFields.text(json, "email", errors);
        JsonNode notify = json.get("notifyReplies");
        String notifyMode = JsonFields.text(json, "notifyMode", errors);

        if (name == null || name.strip().isEmpty()) {
            if (errors.stream().noneMatch(error -> error.field().equals("authorName"))) {
                errors.add(new FieldError("authorName", "is required: the name shown with the comment"));
            }
        }
        else {
            name = name.strip();
            if (name.codePointCount(0, name.length()) > settings.maxNameChars()) {
                errors.add(new FieldError("authorName", "must be at most " + settings.maxNameChars() + " characters"));
            }
            else if (!plainLine(name)) {
                errors.add(new FieldError("authorName",
                    "must be one line without control or text-direction characters"));
            }
        }

        body = checkedBody(body, settings, errors);

        UUID parentId = null;
        if (parent != null && !parent.isBlank()) {
            try {
                parentId = UUID.fromString(parent.strip());
            }
            catch (IllegalArgumentException ex) {
                errors.add(new FieldError("parentId", "must be the id of the comment replied to"));
            }
        }

        String emailHash = null;
        String address = null;
        if (email != null && !email.isBlank()) {
            address = EmailAddress.normalise(email);
            if (address == null) {
                errors.add(new FieldError("email", "must be an e-mail address such as amina@example.ma, or left out"));
            }
            else {
                emailHash = EditTokens.addressHash(address);
            }
        }

        ReplyFollowing.@Nullable Request followReplies = null;
        if (notify != null && !notify.isNull() && !notify.isBoolean()) {
            errors.add(new FieldError("notifyReplies", "must be true or false"));
        }
        else if (notify != null && notify.asBoolean()) {
            boolean digest = "digest".equals(notifyMode);
            if (notifyMode != null && !digest && !"immediate".equals(notifyMode)) {
                errors.add(new FieldError("notifyMode", "must be immediate or digest"));
            }
            else if (email == null || email.isBlank()) {
                errors.add(new FieldError("email", "is needed to be mailed the replies (notifyReplies)"));
            }
            else if (address != null) {
                followReplies = new ReplyFollowing.Request(address, digest);
            }
        }

        if (!errors.isEmpty()) {
            return new Checked(null, List.copyOf(errors));
        }
        return new Checked(new CommentInput(java.util.Objects.requireNonNull(name),
            java.util.Objects.requireNonNull(body), parentId, emailHash, followReplies), List.of());
    }


    /** The body of a new or edited comment, line ends made {@code \n}; null with a problem added when it is bad. */
    static @Nullable String checkedBody(JsonNode json, CommentSettings settings, List<FieldError> errors) {
        return checkedBody(JsonFields.text(json, "body", errors), settings, errors);
    }

    private static @Nullable String checkedBody(@Nullable String body, CommentSettings settings,
        List<FieldError> errors) {
        if (body == null || body.isBlank()) {
            if (errors.stream().noneMatch(error -> error.field().equals("body"))) {
                errors.add(new FieldError("body", "is required and cannot be only spaces"));
            }
            return null;
        }
        String normalised = body.replace("\r\n", "\n").replace('\r', '\n');
        if (normalised.codePointCount(0, normalised.length()) > settings.maxBodyChars()) {
            errors.add(new FieldError("body", "must be at most " + settings.maxBodyChars() + " characters"));
            return null;
        }
        if (!plainText(normalised)) {
            errors.add(new FieldError("body", "must not contain control characters other than line breaks and tabs"));
            return null;
        }
        return normalised;
    }

    private static boolean plainText(String text) {
        return text.codePoints().allMatch(c -> c == '\n' || c == '\t' || !isControl(c));
    }

    private static boolean plainLine(String text) {
        return text.codePoints().noneMatch(c -> isControl(c) || isDirectionOverride(c));
    }

    private static boolean isControl(int c) {
        int type = Character.getType(c);
        // A lone surrogate is half a character; emoji newer than this JVM's Unicode tables are welcome.
        return type == Character.CONTROL || type == Character.SURROGATE || c == 0xFEFF;
    }

    /** Embeddings, overrides and isolates, with which a name could make the text around it read backwards. */
    private static boolean isDirectionOverride(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}

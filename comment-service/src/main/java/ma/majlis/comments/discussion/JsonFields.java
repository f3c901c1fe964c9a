package ma.majlis.comments.discussion;

import java.util.List;

import ma.majlis.platform.web.Problems.FieldError;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Reading the fields of a JSON request body, collecting what is wrong with them. */
public final class JsonFields {

    private JsonFields() {
    }

    /** The text field {@code name}, null when absent or null; a field of another JSON type is a problem. */
    public static @Nullable String text(JsonNode json, String name, List<FieldError> errors) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            errors.add(new FieldError(name, "must be text"));
            return null;
        }
        return value.asString();
    }
}

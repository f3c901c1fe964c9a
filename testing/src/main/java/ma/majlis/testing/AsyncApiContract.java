package ma.majlis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The project's AsyncAPI document (docs/asyncapi.yaml) as a contract that records can be held to: the record's
 * topic must be a channel, its {@code ce_type} one of that channel's messages, and its headers, key and value must
 * validate against that message's schemas.
 */
public final class AsyncApiContract {

    private final JsonNode document;

    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    private final JsonMapper json = JsonMapper.builder().build();

    private AsyncApiContract(JsonNode document) {
        this.document = document;
    }

    /** Reads the document at {@code file}. */
    public static AsyncApiContract read(Path file) {
        try {
            return new AsyncApiContract(YAMLMapper.builder().build().readTree(Files.readString(file)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read the AsyncAPI document " + file, ex);
        }
    }

    /** The project's document, found from a module's directory (where Maven runs its tests) or the root. */
    public static AsyncApiContract ofProject() {
        Path here = Path.of("").toAbsolutePath();
        for (Path folder = here; folder != null; folder = folder.getParent()) {
            Path candidate = folder.resolve("docs/asyncapi.yaml");
            if (Files.isRegularFile(candidate)) {
                return read(candidate);
            }
        }
        throw new IllegalStateException("No docs/asyncapi.yaml above " + here);
    }

    /** The AsyncAPI version the document declares. */
    public String version() {
        return document.path("asyncapi").asString();
    }

    /** The names (CloudEvents types) of the messages the channel at {@code topic} carries. */
    public List<String> messageNames(String topic) {
        List<String> names = new ArrayList<>();
        JsonNode channel = channel(topic);
        if (channel != null) {
            for (JsonNode message : channel.path("messages")) {
                names.add(resolve(message).path("name").asString());
            }
        }
        return names;
    }

    /** Everything about the record that breaks the contract; empty when it conforms. */
    public List<String> violations(String topic, ConsumerRecord<String, ?> record, byte[] value) {
        List<String> violations = new ArrayList<>();
        JsonNode channel = channel(topic);
        if (channel == null) {
            violations.add("no channel has the address " + topic);
            return violations;
        }
        String type = header(record, "ce_type");
        JsonNode message = null;
        for (JsonNode candidate : channel.path("messages")) {
            if (resolve(candidate).path("name").asString().equals(type)) {
                message = resolve(candidate);
            }
        }
        if (message == null) {
            violations.add("the channel " + topic + " has no message named " + type);
            return violations;
        }
        ObjectNode headers = json.createObjectNode();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        check("headers", message.path("headers"), headers, violations);
        check("key", message.path("bindings").path("kafka").path("key"), StringNode.valueOf(record.key()),
            violations);
        JsonNode payload;
        try {
            payload = json.readTree(value);
        }
        catch (RuntimeException ex) {
            violations.add("the value is not JSON: " + ex.getMessage());
            return violations;
        }
        check("payload", message.path("payload"), payload, violations);
        return violations;
    }

    private void check(String part, JsonNode schemaOrRef, JsonNode instance, List<String> violations) {
        if (schemaOrRef.isMissingNode()) {
            violations.add("the message declares no " + part + " schema");
            return;
        }
        Schema schema = schemas.getSchema(resolve(schemaOrRef));
        for (Error error : schema.validate(instance)) {
            violations.add(part + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
    }

    private @Nullable JsonNode channel(String topic) {
        for (JsonNode channel : document.path("channels")) {
            if (channel.path("address").asString().equals(topic)) {
                return channel;
            }
        }
        return null;
    }

    /** Follows a {@code $ref} within the document ({@code #/components/...}). */
    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        String pointer = ref.asString();
        if (!pointer.startsWith("#/")) {
            throw new IllegalStateException("Only references within the document are supported: " + pointer);
        }
        return resolve(document.at(pointer.substring(1)));
    }

    private static @Nullable String header(ConsumerRecord<String, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

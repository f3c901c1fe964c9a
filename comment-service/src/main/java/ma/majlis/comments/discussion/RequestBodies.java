package ma.majlis.comments.discussion;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import ma.majlis.platform.web.Problems;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a request body as a JSON object, within a size limit, or answers the problem that it is not one. */
@Component
public class RequestBodies {

    private final JsonMapper json;

    private final int limit;

    RequestBodies(JsonMapper json, CommentSettings settings) {
        this.json = json;
        // Room for the longest comment in four-byte characters, JSON escapes aside, and the other fields.
        this.limit = settings.maxBodyChars() * 4 + 16 * 1024;
    }

    public Mono<JsonNode> json(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), limit)
            .onErrorMap(DataBufferLimitException.class, ex -> DiscussionProblems.tooLarge(limit))
            .map(buffer -> {
                try {
                    ByteBuffer bytes = ByteBuffer.allocate(buffer.readableByteCount());
                    buffer.toByteBuffer(bytes);
                    return decode(bytes);
                }
                finally {
                    DataBufferUtils.release(buffer);
                }
            })
            .switchIfEmpty(Mono.error(() -> DiscussionProblems.invalidJson("the body is empty")))
            .map(text -> {
                JsonNode tree;
                try {
                    tree = json.readTree(text);
                }
                catch (JacksonException ex) {
                    throw DiscussionProblems.invalidJson(ex.getOriginalMessage());
                }
                if (tree == null || !tree.isObject()) {
                    throw DiscussionProblems.invalidJson("the body must be a JSON object");
                }
                return tree;
            });
    }

    private static String decode(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes).toString();
        }
        catch (CharacterCodingException ex) {
            throw Problems.notUtf8();
        }
    }
}

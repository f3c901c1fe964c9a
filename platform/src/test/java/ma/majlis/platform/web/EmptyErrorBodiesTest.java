package ma.majlis.platform.web;

import java.nio.charset.StandardCharsets;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors that a framework part answers with a status alone reach the client as problems. */
class EmptyErrorBodiesTest {

    final ProblemErrorHandler problems = new ProblemErrorHandler(JsonMapper.builder().build());

    @Test
    void aCrossOriginRefusalWithNoBodyBecomesAProblemThatNamesTheSetting() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/comment-previews")
            .header("Origin", "https://elsewhere.example"));
        new EmptyErrorBodies(problems).filter(exchange, refused -> {
            refused.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
            return Mono.empty();
        }).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getBodyAsString().block())
            .contains("\"type\":\"/problems/origin-not-allowed\"", "MAJLIS_CORS_ORIGINS");
    }

    @Test
    void anAnswerThatHasABodyOrNoErrorIsLeftAlone() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/articles"));
        new EmptyErrorBodies(problems).filter(exchange, fine -> Mono.empty()).block();
        assertThat(exchange.getResponse().getHeaders().getContentType()).isNull();

        MockServerWebExchange written = MockServerWebExchange.from(MockServerHttpRequest.get("/api/articles"));
        new EmptyErrorBodies(problems).filter(written, refused -> problems.handle(refused,
            Problems.problem(HttpStatus.NOT_FOUND, "article-not-found", "Not found", "No such article."))).block();
        assertThat(written.getResponse().getBodyAsString().block()).contains("article-not-found");
    }

    @Test
    void aRequestTheSecurityFirewallRefusedIsA400Problem() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/articles/a%00b"));
        new RejectedRequests(problems).handle(exchange,
            new ServerExchangeRejectedException("The request was rejected because the URL contained \"%00\"")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"type\":\"/problems/request-rejected\"");
    }

    @Test
    void theDecodersBareRefusalsGetAProblemBody() {
        EmbeddedChannel channel = new EmbeddedChannel(new DecodingFailureBodies());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE));
        FullHttpResponse answer = channel.readOutbound();

        assertThat(answer.status().code()).isEqualTo(431);
        assertThat(answer.headers().get("Content-Type")).isEqualTo("application/problem+json");
        String body = answer.content().toString(StandardCharsets.UTF_8);
        assertThat(JsonMapper.builder().build().readTree(body).get("type").asString())
            .isEqualTo("/problems/headers-too-large");
        assertThat(answer.headers().getInt("Content-Length")).isEqualTo(answer.content().readableBytes());
        answer.release();
    }

    @Test
    void anAcceptHeaderThatIsNotMediaTypesIsRefusedBeforeAnyHandlerRuns() {
        for (String accept : new String[] { "gzip", "' OR '1'='1", "1.2.3.4, 999.999.999.999" }) {
            MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.delete("/api/articles/a")
                .header("Accept", accept));
            boolean[] handled = { false };
            new UnreadableAccept(problems).filter(exchange, reached -> {
                handled[0] = true;
                return Mono.empty();
            }).block();

            assertThat(handled[0]).as(accept).isFalse();
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(exchange.getResponse().getBodyAsString().block()).contains("/problems/unreadable-accept");
        }
        MockServerWebExchange fine = MockServerWebExchange.from(MockServerHttpRequest.get("/api/articles")
            .header("Accept", "application/json, text/plain;q=0.5"));
        boolean[] handled = { false };
        new UnreadableAccept(problems).filter(fine, reached -> {
            handled[0] = true;
            return Mono.empty();
        }).block();
        assertThat(handled[0]).isTrue();
    }
}

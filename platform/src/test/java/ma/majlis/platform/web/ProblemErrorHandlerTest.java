package ma.majlis.platform.web;

import java.net.ConnectException;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.transaction.CannotCreateTransactionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What a client is told when no controller answered: an outage is a 503 to retry, a bug a 500 with no details. */
class ProblemErrorHandlerTest {

    final JsonMapper json = JsonMapper.builder().build();

    final ProblemErrorHandler handler = new ProblemErrorHandler(json);

    @Test
    void aDatabaseThatCannotBeReachedIsA503ProblemToRetryNotA500() {
        // As Spring reports a pool that cannot open a connection, a transaction that cannot start, and R2DBC a
        // connection closed under the query.
        for (Throwable outage : new Throwable[] {
            new DataAccessResourceFailureException("Failed to obtain R2DBC Connection", new ConnectException("refused")),
            new CannotCreateTransactionException("Could not open R2DBC Connection for transaction"),
            new IllegalStateException("wrapped", new R2dbcNonTransientResourceException("Connection closed") { }) }) {
            MockServerWebExchange exchange = exchange();
            handler.handle(exchange, outage).block();

            assertThat(exchange.getResponse().getStatusCode()).as(outage.toString())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(exchange.getResponse().getHeaders().getFirst("Retry-After")).isEqualTo("5");
            JsonNode problem = body(exchange);
            assertThat(problem.get("type").asString()).isEqualTo("/problems/database-unavailable");
            assertThat(problem.get("status").asInt()).isEqualTo(503);
            assertThat(problem.toString()).doesNotContain("R2DBC", "Exception");
        }
    }

    @Test
    void aBugIsA500ThatTellsTheClientNothingOfTheCause() {
        MockServerWebExchange exchange = exchange();
        handler.handle(exchange, new IllegalStateException("secret detail of a bug")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        JsonNode problem = body(exchange);
        assertThat(problem.get("type").asString()).isEqualTo("/problems/server-error");
        assertThat(problem.toString()).doesNotContain("secret detail", "IllegalStateException");
    }

    @Test
    void theLineLoggedForABugCarriesTheRequestsIdsFromItsReactiveContext() {
        new RequestIds(); // registers the request id's logging-context accessor, as every service does
        Logger logger = (Logger) LoggerFactory.getLogger(ProblemErrorHandler.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            handler.handle(exchange(), new IllegalStateException("a bug"))
                .contextWrite(context -> context.put(Slf4jThreadLocalAccessor.KEY,
                    Map.of(RequestIds.MDC_KEY, "reader-report-42")))
                .block();
        }
        finally {
            logger.detachAppender(lines);
        }

        assertThat(lines.list).singleElement().satisfies(line -> {
            assertThat(line.getFormattedMessage()).startsWith("Answered POST /api/articles/day-1/comments with 500");
            assertThat(line.getMDCPropertyMap()).containsEntry(RequestIds.MDC_KEY, "reader-report-42");
        });
        assertThat(MDC.get(RequestIds.MDC_KEY)).as("the id is removed after the line").isNull();
    }

    private static MockServerWebExchange exchange() {
        return MockServerWebExchange.from(MockServerHttpRequest.post("/api/articles/day-1/comments"));
    }

    private JsonNode body(MockServerWebExchange exchange) {
        return json.readTree(exchange.getResponse().getBodyAsString().block());
    }
}

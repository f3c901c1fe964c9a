package ma.majlis.platform.outbox;

import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends an event to the outbox. Call it inside the transaction of the change it announces: both commit
 * together or neither does.
 */
public class OutboxWriter {

    private final DatabaseClient database;

    private final JsonMapper json;

    public OutboxWriter(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /**
     * The statement that appends an event, with the parameters {@link #bind} sets. A change may end its own statement
     * with it ({@code with change as (...) } + {@code INSERT}), so that the change and its event take one round trip.
     */
    public static final String INSERT = """
        insert into outbox (id, aggregatetype, aggregateid, type, payload, subject)
        values (:outboxId, :outboxAggregateType, :outboxAggregateId, :outboxType, :outboxPayload, :outboxSubject)""";

    /**
     * @param aggregateType what kind of thing changed ({@code article}, {@code comment})
     * @param aggregateId its id: the Kafka record key, so one aggregate's events keep their order
     * @param type the CloudEvents type ({@code ma.majlis.article.published.v1})
     * @param subject the CloudEvents subject (the article's slug)
     * @param data the event's data, written as JSON
     * @return the event's id, which becomes its CloudEvents {@code ce_id}
     */
    public Mono<UUID> append(String aggregateType, String aggregateId, String type, String subject, Object data) {
        UUID id = UUID.randomUUID();
        return Mono.fromCallable(() -> json.writeValueAsString(data))
            .flatMap(payload -> bind(database.sql(INSERT), id, aggregateType, aggregateId, type, subject,
                Json.of(payload)).then())
            .thenReturn(id);
    }

    /**
     * Binds the parameters of {@link #INSERT} in a statement that contains it.
     * @param id the event's id, which becomes its CloudEvents {@code ce_id}
     * @param payload the event's data as JSON
     * @see #append
     */
    public static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec statement, UUID id,
        String aggregateType, String aggregateId, String type, String subject, Json payload) {
        return statement.bind("outboxId", id)
            .bind("outboxAggregateType", aggregateType)
            .bind("outboxAggregateId", aggregateId)
            .bind("outboxType", type)
            .bind("outboxPayload", payload)
            .bind("outboxSubject", subject);
    }
}

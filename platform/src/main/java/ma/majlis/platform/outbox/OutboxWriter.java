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
            .flatMap(payload -> database.sql("""
                    insert into outbox (id, aggregatetype, aggregateid, type, payload, subject)
                    values (:id, :aggregateType, :aggregateId, :type, :payload, :subject)""")
                .bind("id", id)
                .bind("aggregateType", aggregateType)
                .bind("aggregateId", aggregateId)
                .bind("type", type)
                .bind("payload", Json.of(payload))
                .bind("subject", subject)
                .then())
            .thenReturn(id);
    }
}

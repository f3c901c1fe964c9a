package ma.majlis.comments.live;

import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import ma.majlis.comments.discussion.CommentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** An article's past changes, read from the database for readers who reconnect. */
public class StreamHistory {

    /** How many changes one read takes; a reader far behind is caught up in several. */
    static final int PAGE = 500;

    private final DatabaseClient database;

    private final JsonMapper json;

    public StreamHistory(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** Every change of the article after position {@code after} and before {@code before}, in order. */
    public Flux<StreamEvent> between(UUID articleId, long after, long before) {
        return page(articleId, after, before)
            .expand(events -> events.size() < PAGE ? Mono.empty()
                : page(articleId, events.get(events.size() - 1).seq(), before))
            .concatMapIterable(events -> events);
    }

    private Mono<java.util.List<StreamEvent>> page(UUID articleId, long after, long before) {
        return database.sql("""
                select seq, type, payload from comment_event
                 where article_id = :articleId and seq > :after and seq < :before
                 order by seq
                 limit :page""")
            .bind("articleId", articleId)
            .bind("after", after)
            .bind("before", before)
            .bind("page", PAGE)
            .map((row, meta) -> new StreamEvent(articleId, row.get("seq", Long.class), row.get("type", String.class),
                json.readValue(row.get("payload", Json.class).asString(), CommentEvent.class)))
            .all()
            .collectList();
    }
}

package ma.majlis.comments.live;

import java.util.List;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import ma.majlis.comments.discussion.CommentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
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

    /**
     * The article's changes after position {@code after}, in order, at most {@link #PAGE} of them: a reader far behind
     * is caught up page by page, each written out before the next is read.
     */
    public Mono<List<StreamEvent>> after(UUID articleId, long after) {
        return database.sql("""
                select seq, type, payload from comment_event
                 where article_id = :articleId and seq > :after
                 order by seq
                 limit :page""")
            .bind("articleId", articleId)
            .bind("after", after)
            .bind("page", PAGE)
            .map((row, meta) -> new StreamEvent(articleId, row.get("seq", Long.class), row.get("type", String.class),
                json.readValue(row.get("payload", Json.class).asString(), CommentEvent.class)))
            .all()
            .collectList();
    }
}

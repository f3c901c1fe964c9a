package ma.majlis.comments.articles;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies {@code majlis.articles.v1} to comment-service's {@code article} table: which articles exist, their slug and
 * title, whether their discussion is open, and whether they are withdrawn. An event older than the version already
 * applied, or the same one again, changes nothing.
 */
public class ArticleProjection {

    private static final Logger log = LoggerFactory.getLogger(ArticleProjection.class);

    static final String PUBLISHED = "ma.majlis.article.published.v1";

    static final String UPDATED = "ma.majlis.article.updated.v1";

    static final String WITHDRAWN = "ma.majlis.article.withdrawn.v1";

    private static final Set<String> TYPES = Set.of(PUBLISHED, UPDATED, WITHDRAWN);

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final JsonMapper json;

    public ArticleProjection(DatabaseClient database, TransactionalOperator transaction, JsonMapper json) {
        this.database = database;
        this.transaction = transaction;
        this.json = json;
    }

    /** An article as the last event applied describes it. */
    record ArticleState(UUID id, String slug, String title, boolean commentsEnabled, String status, int version) {
    }

    /** Applies one record; completes when it is stored. Records it cannot read are logged and skipped. */
    public Mono<Void> apply(ConsumerRecord<String, String> record) {
        ArticleState state = read(record);
        return state == null ? Mono.empty() : apply(state);
    }

    Mono<Void> apply(ArticleState state) {
        // Slugs are unique in content-service; one held here by another id belongs to an article whose
        // content-service data was reset. It keeps its comments but gives the slug to the article announced now.
        Mono<Void> freeSlug = database.sql("""
                update article set slug = slug || '~' || id::text where slug = :slug and id <> :id""")
            .bind("slug", state.slug())
            .bind("id", state.id())
            .fetch().rowsUpdated()
            .doOnNext(moved -> {
                if (moved > 0) {
                    log.warn("The slug {} now belongs to article {}; the article that held it before keeps its"
                        + " comments under a changed slug.", state.slug(), state.id());
                }
            })
            .then();
        Mono<Void> upsert = database.sql("""
                insert into article (id, slug, title, comments_enabled, status, version)
                values (:id, :slug, :title, :commentsEnabled, :status, :version)
                on conflict (id) do update
                   set slug = excluded.slug, title = excluded.title, comments_enabled = excluded.comments_enabled,
                       status = excluded.status, version = excluded.version, updated_at = now()
                 where article.version <= excluded.version""")
            .bind("id", state.id())
            .bind("slug", state.slug())
            .bind("title", state.title())
            .bind("commentsEnabled", state.commentsEnabled())
            .bind("status", state.status())
            .bind("version", state.version())
            .then();
        return freeSlug.then(upsert).as(transaction::transactional);
    }

    private @Nullable ArticleState read(ConsumerRecord<String, String> record) {
        String type = header(record, "ce_type");
        if (type == null || !TYPES.contains(type)) {
            return null;
        }
        try {
            JsonNode data = json.readTree(record.value() == null ? "" : record.value());
            String slug = data.path("slug").asString("");
            String title = data.path("title").asString("");
            if (slug.isEmpty() || !data.path("version").canConvertToInt()) {
                throw new IllegalArgumentException("slug or version missing");
            }
            String status = type.equals(WITHDRAWN) || "withdrawn".equals(data.path("status").asString(""))
                ? "withdrawn" : "published";
            return new ArticleState(UUID.fromString(data.path("id").asString("")), slug,
                title.isEmpty() ? slug : title, data.path("commentsEnabled").asBoolean(false), status,
                data.path("version").asInt());
        }
        catch (IllegalArgumentException | JacksonException ex) {
            log.warn("Skipped the {} event at partition {} offset {}: it does not describe an article ({}).", type,
                record.partition(), record.offset(), ex.getMessage());
            return null;
        }
    }

    private static @Nullable String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

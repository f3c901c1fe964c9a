package ma.majlis.comments.notify;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import ma.majlis.comments.discussion.CommentEvent;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns {@code majlis.comments.v1} events into the deliveries they owe, recorded in one transaction before anything
 * is sent. A comment that became visible (created published, or approved by a moderator) is owed to: each confirmed
 * subscriber of its discussion, and of the comment it replies to, once per address, never to its own author; and
 * each webhook that hears of its article. Hidden, pending and deleted comments owe nothing. Deliveries are keyed by
 * (event id, subscriber), and a comment is announced to a subscriber once, so a replayed event records nothing new.
 */
class Notifier {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final DatabaseClient database;

    private final TransactionalOperator transaction;

    private final JsonMapper json;

    private final Clock clock;

    Notifier(DatabaseClient database, TransactionalOperator transaction, JsonMapper json, Clock clock) {
        this.database = database;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
    }

    Mono<Void> apply(ConsumerRecord<String, String> record) {
        String type = header(record, "ce_type");
        String id = header(record, "ce_id");
        if (id == null || !(CommentEvent.CREATED.equals(type) || CommentEvent.MODERATED.equals(type))) {
            return Mono.empty();
        }
        JsonNode data;
        try {
            data = json.readTree(record.value());
        }
        catch (JacksonException | IllegalArgumentException ex) {
            log.warn("Skipping comment event {} at partition {} offset {}: its data is not JSON ({}).", id,
                record.partition(), record.offset(), ex.getMessage());
            return Mono.empty();
        }
        if (!"published".equals(data.path("status").asString(""))) {
            return Mono.empty();
        }
        UUID comment;
        try {
            comment = UUID.fromString(data.path("id").asString(""));
        }
        catch (IllegalArgumentException ex) {
            log.warn("Skipping comment event {}: it names no comment id.", id);
            return Mono.empty();
        }
        return owe(id, comment, cloudEvent(record, id, type, data)).as(transaction::transactional);
    }

    private Mono<Void> owe(String eventId, UUID comment, String webhookBody) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        // One mail per address: an immediate subscription before a digest one, replies before the discussion.
        Mono<Long> mails = database.sql("""
                insert into delivery (id, event_id, subscriber, kind, subscription_id, comment_id, state,
                                      next_attempt_at, created_at)
                select gen_random_uuid(), :event, 'mail:' || s.address_hash,
                       case s.mode when 'digest' then 'digest-item' else 'comment' end, s.id, s.comment,
                       case s.mode when 'digest' then 'held' else 'pending' end, :now, :now
                  from (select distinct on (s.address_hash) s.id, s.address_hash, s.mode, c.id as comment
                          from comment c
                          join subscription s
                            on s.status = 'confirmed'
                           and ((s.kind = 'discussion' and s.article_id = c.article_id)
                                or (s.kind = 'replies' and s.comment_id = c.parent_id))
                         where c.id = :comment
                           and c.status = 'published'
                           and s.address_hash is distinct from c.author_email_hash
                           and (c.author_subject is null or s.subscriber_subject is null
                                or s.subscriber_subject <> c.author_subject)
                         order by s.address_hash, s.mode = 'immediate' desc, s.kind = 'replies' desc) s
                on conflict do nothing""")
            .bind("event", eventId)
            .bind("comment", comment)
            .bind("now", now)
            .fetch().rowsUpdated();
        Mono<Long> webhooks = database.sql("""
                insert into delivery (id, event_id, subscriber, kind, webhook_id, comment_id, payload, state,
                                      next_attempt_at, created_at)
                select gen_random_uuid(), :event, 'webhook:' || w.id, 'webhook', w.id, c.id, :payload, 'pending',
                       :now, :now
                  from comment c
                  join webhook w on w.articles is null or c.article_slug = any (w.articles)
                 where c.id = :comment
                   and c.status = 'published'
                on conflict do nothing""")
            .bind("event", eventId)
            .bind("comment", comment)
            .bind("payload", webhookBody)
            .bind("now", now)
            .fetch().rowsUpdated();
        return mails.zipWith(webhooks)
            .doOnNext(owed -> log.debug("Event {} owes {} mails and {} webhook calls.", eventId, owed.getT1(),
                owed.getT2()))
            .then();
    }

    /** The event in CloudEvents' structured JSON, as webhooks receive it: its attributes beside its data. */
    private String cloudEvent(ConsumerRecord<String, String> record, String id, String type, JsonNode data) {
        ObjectNode event = json.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", orEmpty(header(record, "ce_source")));
        event.put("type", type);
        String subject = header(record, "ce_subject");
        if (subject != null) {
            event.put("subject", subject);
        }
        String time = header(record, "ce_time");
        if (time != null) {
            event.put("time", time);
        }
        event.put("datacontenttype", "application/json");
        event.set("data", data);
        return json.writeValueAsString(event);
    }

    private static String orEmpty(@Nullable String text) {
        return text == null ? "" : text;
    }

    private static @Nullable String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

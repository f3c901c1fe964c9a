package ma.majlis.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The Kafka topics of the Majlis contract (ARCHITECTURE.md, "Events") and an idempotent way to create them.
 * Compose's init job creates the same topics with the same settings.
 */
public final class Topics {

    /** Article events; compacted, so the newest state of every article stays readable for new consumers. */
    public static final String ARTICLES = "majlis.articles.v1";

    /** Comment events; kept for the retention period, ordered per article by the record key. */
    public static final String COMMENTS = "majlis.comments.v1";

    /** Notifications that gave up after every retry, for an operator or a tool to inspect and replay. */
    public static final String NOTIFICATIONS_DLQ = "majlis.notifications.dlq.v1";

    private Topics() {
    }

    /** The contract's topics with {@code partitions} partitions each and one replica (a single broker). */
    public static List<NewTopic> majlisTopics(int partitions) {
        return majlisTopics(partitions, (short) 1);
    }

    public static List<NewTopic> majlisTopics(int partitions, short replicationFactor) {
        return List.of(
            new NewTopic(ARTICLES, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
            new NewTopic(COMMENTS, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)),
            new NewTopic(NOTIFICATIONS_DLQ, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)));
    }

    /** Creates those of {@code topics} that do not exist yet; returns the names it created. */
    public static List<String> createMissing(String bootstrapServers, List<NewTopic> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (NewTopic topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(topic);
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Could not create the Kafka topics on " + bootstrapServers + ": "
                + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating Kafka topics", ex);
        }
    }
}

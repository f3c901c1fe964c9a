package ma.majlis.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Kafka records in CloudEvents' binary mode, as every Majlis topic carries them: the attributes as {@code ce_*}
 * headers, the JSON data as the value.
 */
public final class CloudEventRecords {

    private CloudEventRecords() {
    }

    /** A record of {@code data} (JSON) on {@code topic} under {@code key}, with the event's attributes. */
    public static ProducerRecord<String, String> binary(String topic, String key, String data, String id,
        String source, String type, OffsetDateTime time, String subject) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, data);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", id);
        header(record, "ce_source", source);
        header(record, "ce_type", type);
        header(record, "ce_time", time.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        header(record, "ce_subject", subject);
        header(record, "content-type", "application/json");
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
    }
}

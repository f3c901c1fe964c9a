#!/bin/bash
# One-shot, idempotent: creates the Majlis topics (the same settings as ma.majlis.infra.Topics) if missing.
# Run by the kafka-init job of docker-compose.yml on every `up`.
set -euo pipefail
topics=/opt/kafka/bin/kafka-topics.sh
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}

$topics --bootstrap-server "$bootstrap" --create --if-not-exists --topic majlis.articles.v1 \
  --partitions "${MAJLIS_TOPIC_PARTITIONS:-3}" --replication-factor "${MAJLIS_TOPIC_REPLICATION:-1}" \
  --config cleanup.policy=compact
$topics --bootstrap-server "$bootstrap" --create --if-not-exists --topic majlis.comments.v1 \
  --partitions "${MAJLIS_TOPIC_PARTITIONS:-3}" --replication-factor "${MAJLIS_TOPIC_REPLICATION:-1}" \
  --config cleanup.policy=delete --config retention.ms="${MAJLIS_COMMENTS_RETENTION_MS:-604800000}"
$topics --bootstrap-server "$bootstrap" --create --if-not-exists --topic majlis.notifications.dlq.v1 \
  --partitions "${MAJLIS_TOPIC_PARTITIONS:-3}" --replication-factor "${MAJLIS_TOPIC_REPLICATION:-1}" \
  --config cleanup.policy=delete
echo "topics majlis.articles.v1, majlis.comments.v1 and majlis.notifications.dlq.v1 ready"

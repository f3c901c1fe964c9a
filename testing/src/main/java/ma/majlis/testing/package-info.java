/**
 * Real PostgreSQL and Kafka for tests, chosen once per test JVM: Testcontainers where a Docker engine answers,
 * the embedded parts of {@code ma.majlis.infra} where none does. Nothing is mocked and nothing is skipped.
 */
@NullMarked
package ma.majlis.testing;

import org.jspecify.annotations.NullMarked;

/**
 * Real infrastructure that runs inside a JVM: PostgreSQL from embedded binaries and a single-node Kafka
 * broker in KRaft mode. The local stack runs on it, and so do the tests wherever no Docker engine answers.
 */
@NullMarked
package ma.majlis.infra;

import org.jspecify.annotations.NullMarked;

/**
 * The benchmark harness behind {@code bench/run}: it starts the local stack, seeds it, drives HTTP loads with
 * wrk (direct, through the gateway and through nginx), streams with a reader harness of its own, and writes
 * {@code bench/RESULTS.md}. Every load targets 127.0.0.1 and is bounded in time and count.
 */
@NullMarked
package ma.majlis.bench;

import org.jspecify.annotations.NullMarked;

/**
 * Operational conventions every Majlis service shares, applied by auto-configuration: what "ready" means
 * for Kafka, and the like. No domain code lives here.
 */
@NullMarked
package ma.majlis.platform;

import org.jspecify.annotations.NullMarked;

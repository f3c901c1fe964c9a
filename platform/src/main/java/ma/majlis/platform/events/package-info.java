/** Reading Kafka topics from reactive services: in order, committed only after what was read is stored. */
@NullMarked
package ma.majlis.platform.events;

import org.jspecify.annotations.NullMarked;

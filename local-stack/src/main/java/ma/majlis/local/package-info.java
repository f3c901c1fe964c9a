/**
 * The local stack: one command starts a real PostgreSQL, a real KRaft broker and the three services on this
 * machine, with no Docker, and stops them all again.
 */
@NullMarked
package ma.majlis.local;

import org.jspecify.annotations.NullMarked;

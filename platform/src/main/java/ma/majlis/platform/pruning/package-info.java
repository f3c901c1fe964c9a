/** Keeping bookkeeping tables small: rows that have served their purpose are deleted on a schedule. */
@NullMarked
package ma.majlis.platform.pruning;

import org.jspecify.annotations.NullMarked;

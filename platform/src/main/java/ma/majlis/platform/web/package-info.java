/** What every Majlis HTTP API shares: the shape of its problems. */
@NullMarked
package ma.majlis.platform.web;

import org.jspecify.annotations.NullMarked;

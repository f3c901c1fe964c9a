/** Threaded comments: posting, reading, and the events each change announces. */
@NullMarked
package ma.majlis.comments.discussion;

import org.jspecify.annotations.NullMarked;

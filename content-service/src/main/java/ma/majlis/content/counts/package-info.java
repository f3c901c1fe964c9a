/** Comment counts, kept from comment-service's events on {@code majlis.comments.v1}. */
@NullMarked
package ma.majlis.content.counts;

import org.jspecify.annotations.NullMarked;

/** Live streams of each article's discussion to browsers (server-sent events), resumable with Last-Event-ID. */
@NullMarked
package ma.majlis.comments.live;

import org.jspecify.annotations.NullMarked;

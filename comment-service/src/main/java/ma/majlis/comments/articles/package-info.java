/** comment-service's own copy of the articles content-service announces on {@code majlis.articles.v1}. */
@NullMarked
package ma.majlis.comments.articles;

import org.jspecify.annotations.NullMarked;

/** Articles as readers see them: lists and single articles. */
@NullMarked
package ma.majlis.content.articles;

import org.jspecify.annotations.NullMarked;

/** Markdown to safe HTML: CommonMark with GitHub's extensions, heading anchors, a table of contents, an allow-list. */
@NullMarked
package ma.majlis.content.rendering;

import org.jspecify.annotations.NullMarked;

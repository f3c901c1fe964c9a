/** Importing MkDocs Markdown pages as authors write them: front matter, titles, slugs, mojibake repair. */
@NullMarked
package ma.majlis.content.importing;

import org.jspecify.annotations.NullMarked;

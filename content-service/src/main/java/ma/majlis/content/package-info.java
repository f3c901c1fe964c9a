/** content-service: articles imported from MkDocs Markdown, stored in PostgreSQL, announced on Kafka. */
@NullMarked
package ma.majlis.content;

import org.jspecify.annotations.NullMarked;

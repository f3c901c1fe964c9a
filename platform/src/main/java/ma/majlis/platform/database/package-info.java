/** PostgreSQL facilities shared by the services. */
@NullMarked
package ma.majlis.platform.database;

import org.jspecify.annotations.NullMarked;

/** The gateway: the one door for web clients. Routes live in application.yml. */
@NullMarked
package ma.majlis.gateway;

import org.jspecify.annotations.NullMarked;

/** Who is asking: bearer JWTs with Majlis's roles, checked the same way by the gateway and every service. */
@NullMarked
package ma.majlis.platform.security;

import org.jspecify.annotations.NullMarked;

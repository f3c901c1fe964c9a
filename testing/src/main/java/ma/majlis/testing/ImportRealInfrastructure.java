package ma.majlis.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/** Runs the annotated Spring test against the JVM's real PostgreSQL and Kafka ({@link RealInfrastructure}). */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(RealInfrastructureConfiguration.class)
public @interface ImportRealInfrastructure {
}

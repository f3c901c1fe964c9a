package ma.majlis.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build leaves the jars the stack runs, checked before anything starts. */
public record Jars(Path contentService, Path commentService, Path gateway, Path agent) {

    public static Jars in(Path home) {
        return new Jars(
            existing(home.resolve("content-service/target/content-service.jar")),
            existing(home.resolve("comment-service/target/comment-service.jar")),
            existing(home.resolve("gateway/target/gateway.jar")),
            existing(home.resolve("local-stack/target/local-stack-agent.jar")));
    }

    private static Path existing(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new LocalStack.StartFailure(jar + " is missing. Start the stack with ./run-local, which builds "
                + "it, or build it with ./mvnw -DskipTests package.");
        }
        return jar;
    }
}

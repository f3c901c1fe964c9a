package ma.majlis.local.agent;

/**
 * A Java agent the launcher attaches to every service it starts: when the launcher's process ends, however it
 * ends (even {@code kill -9}), the service exits through its normal shutdown. So no service outlives the stack.
 *
 * <p>Kept free of any dependency: it is packaged alone as {@code local-stack-agent.jar}.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /** {@code arguments} is the launcher's process id. */
    public static void premain(String arguments) {
        long launcher = Long.parseLong(arguments.trim());
        ProcessHandle.of(launcher).ifPresentOrElse(
            process -> process.onExit().thenRun(() -> exit(launcher)),
            () -> exit(launcher));
    }

    private static void exit(long launcher) {
        System.err.println("The Majlis launcher (pid " + launcher + ") has gone; this service stops too.");
        System.exit(0);
    }
}

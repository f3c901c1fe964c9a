package ma.majlis.local.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * What the launcher puts in every service it starts: when the launcher's process ends, however it ends (even
 * {@code kill -9}), the service exits through its normal shutdown. So no service outlives the stack.
 *
 * <p>Two ways in. As a Java agent ({@link #premain}) in front of a packaged jar. Or as the main class in front of
 * the service's own ({@link #main}), for a service run unpacked with a class data sharing archive: the JVM
 * archives no classes while an agent is attached, unless told to with a diagnostic flag that it then wants on every
 * later run too, with a warning not to use such an archive in production.
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

    /**
     * {@code arguments}: the launcher's process id, the service's main class (on the class path), then the
     * service's own arguments.
     */
    public static void main(String[] arguments) throws Throwable {
        if (arguments.length < 2) {
            throw new IllegalArgumentException("Usage: ParentWatch <launcher pid> <main class> [arguments...]");
        }
        premain(arguments[0]);
        Method main = Class.forName(arguments[1], false, ClassLoader.getSystemClassLoader())
            .getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(arguments, 2, arguments.length));
        }
        catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    private static void exit(long launcher) {
        System.err.println("The Majlis launcher (pid " + launcher + ") has gone; this service stops too.");
        System.exit(0);
    }
}

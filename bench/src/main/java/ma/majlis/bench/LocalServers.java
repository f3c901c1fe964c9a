package ma.majlis.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/** The harness's own servers in processes of their own (nginx, the Reactor Netty proxy): ports, start and stop. */
final class LocalServers {

    private LocalServers() {
    }

    /** A port on loopback that nothing listens on now. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Waits until {@code process} listens on {@code port}: true once it does, false if it ended or took too long. */
    static boolean awaitListening(Process process, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            }
            catch (IOException notYet) {
                StackProcess.sleep(Duration.ofMillis(50));
            }
        }
        return false;
    }

    /** Asks {@code process} to end, and ends it after 10 s if it has not. */
    static void stop(@Nullable Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}

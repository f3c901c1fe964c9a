package ma.majlis.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds free loopback ports and tells whether a chosen one is taken. */
public final class Ports {

    private Ports() {
    }

    /** A port that nothing listens on right now; the caller should bind it soon. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No free TCP port on the loopback interface", ex);
        }
    }

    /** Whether something already listens on {@code port} (any interface). */
    public static boolean isTaken(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return false;
        }
        catch (IOException ex) {
            return true;
        }
    }
}

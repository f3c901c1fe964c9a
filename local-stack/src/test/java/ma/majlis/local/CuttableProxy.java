package ma.majlis.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the gateway whose network can be cut: every connection through it is closed and new
 * ones are refused until it is restored, as when a reader's laptop loses its Wi-Fi. It can also play a gateway that
 * holds as many streams as it may: every connection is closed, and each request that comes until it is restored is
 * answered 503 with {@code Retry-After}.
 */
final class CuttableProxy implements AutoCloseable {

    private final int target;

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private volatile boolean cut;

    private volatile boolean busy;

    private final AtomicInteger refusedAsBusy = new AtomicInteger();

    private final ServerSocket server;

    CuttableProxy(int target) {
        this.target = target;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Thread acceptor = new Thread(this::accept, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes every connection and refuses new ones. */
    void cut() {
        cut = true;
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
    }

    /** Closes every connection and answers each new request 503, as a gateway out of room for streams does. */
    void busy() {
        busy = true;
        open.forEach(CuttableProxy::closeQuietly);
        open.clear();
    }

    /** How many requests were answered 503 while busy. */
    int refusedAsBusy() {
        return refusedAsBusy.get();
    }

    void restore() {
        cut = false;
        busy = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                if (busy) {
                    answerBusy(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            }
            catch (IOException ex) {
                // Closed, or the gateway refused: the client sees its connection end.
            }
        }
    }

    private void answerBusy(Socket client) {
        Thread thread = new Thread(() -> {
            try (client) {
                // The request's head, up to the blank line that ends it; a GET has no body.
                InputStream in = client.getInputStream();
                int lastFour = 0;
                while (lastFour != 0x0d0a0d0a) {
                    int next = in.read();
                    if (next < 0) {
                        return;
                    }
                    lastFour = lastFour << 8 | next;
                }
                String body = "{\"type\":\"/problems/too-many-streams\",\"title\":\"Too many open streams\","
                    + "\"status\":503}";
                client.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                    + "application/problem+json\r\nRetry-After: 5\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                refusedAsBusy.incrementAndGet();
            }
            catch (IOException ex) {
                // The browser went away first.
            }
        }, "proxy-busy");
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // One side went away.
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        cut();
        try {
            server.close();
        }
        catch (IOException ex) {
            // Already closed.
        }
    }
}

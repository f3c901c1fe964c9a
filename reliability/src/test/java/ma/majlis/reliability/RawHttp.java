package ma.majlis.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests that a well-behaved client library refuses to send: bytes that are not
 * UTF-8, control characters and oversized values in headers, bodies that lie about their type. The body is written
 * from a thread of its own while the answer is read, so a server that answers early (413) and closes is heard.
 */
final class RawHttp {

    /** An answer; status 0 when the server closed the connection without one. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends one request; {@code headers} are written as given (name, then value bytes), then Content-Length when
     * there is a body, and {@code Connection: close}.
     */
    static Response send(int port, String method, String target, List<Map.Entry<String, byte[]>> headers,
        byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            for (Map.Entry<String, byte[]> header : headers) {
                head.writeBytes((header.getKey() + ": ").getBytes(StandardCharsets.ISO_8859_1));
                head.writeBytes(header.getValue());
                head.writeBytes(new byte[] { '\r', '\n' });
            }
            if (body != null) {
                head.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            head.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(head.toByteArray());
            out.flush();
            Thread writer = null;
            if (body != null && body.length > 0) {
                writer = new Thread(() -> {
                    try {
                        out.write(body);
                        out.flush();
                    }
                    catch (IOException ex) {
                        // The server answered and closed before taking the whole body: its answer is still read.
                    }
                }, "raw-http-body");
                writer.setDaemon(true);
                writer.start();
            }
            byte[] answer;
            try {
                answer = readAll(socket.getInputStream());
            }
            catch (IOException ex) {
                answer = new byte[0];
            }
            if (writer != null) {
                writer.interrupt();
            }
            return parse(answer);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16_384];
        int read;
        try {
            while ((read = in.read(buffer)) != -1) {
                all.write(buffer, 0, read);
            }
        }
        catch (IOException ex) {
            // A reset after the answer: keep what arrived.
            if (all.size() == 0) {
                throw ex;
            }
        }
        return all.toByteArray();
    }

    private static Response parse(byte[] answer) {
        int end = indexOf(answer, new byte[] { '\r', '\n', '\r', '\n' }, 0);
        if (end < 0) {
            return new Response(0, Map.of(), answer);
        }
        String[] lines = new String(answer, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
        if (headers.getOrDefault("transfer-encoding", "").equalsIgnoreCase("chunked")) {
            body = unchunk(body);
        }
        return new Response(Integer.parseInt(status[1]), headers, body);
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, new byte[] { '\r', '\n' }, at);
            if (lineEnd < 0) {
                break;
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            body.write(chunked, lineEnd + 2, Math.min(length, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + length + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package ma.majlis.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code n} readers of one article's stream of server-sent events, each on a connection of its own as a browser's
 * EventSource is. Each reader notes when each {@code comment.created} event reached it, by its position in the
 * stream (the event's {@code id}, which is the comment's {@code seq}). A reader does not reconnect: a stream that
 * ends is counted, and what it missed shows.
 *
 * <p>The readers share the cores with what they measure, so they cost as little as they can: plain non-blocking
 * sockets on two threads, each event read where it lies in the socket's buffer (the chunks of the HTTP answer
 * undone, each line looked at once), and nothing kept of an event but its id and the time it came.
 */
final class StreamReaders implements AutoCloseable {

    private static final int THREADS = 2;

    private final List<Reader> readers = new ArrayList<>();

    private final List<Loop> loops = new ArrayList<>();

    private final AtomicInteger ended = new AtomicInteger();

    private final AtomicInteger refused = new AtomicInteger();

    StreamReaders(String url, int n) {
        URI uri = URI.create(url);
        InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
            + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try {
            for (int i = 0; i < THREADS; i++) {
                loops.add(new Loop(i));
            }
            for (int i = 0; i < n; i++) {
                Reader reader = new Reader(request);
                readers.add(reader);
                loops.get(i % THREADS).connect(reader, address);
            }
        }
        catch (IOException ex) {
            close();
            throw new IllegalStateException("Could not open the stream readers' sockets: " + ex.getMessage(), ex);
        }
    }

    /** Waits until every reader has its stream's first words (it is subscribed), or the time is up. */
    int awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Until every reader is subscribed, or has been refused or cut off.
        while (System.nanoTime() < deadline && connected() + ended.get() < readers.size()) {
            StackProcess.sleep(Duration.ofMillis(100));
        }
        return connected();
    }

    int connected() {
        int count = 0;
        for (Reader reader : readers) {
            count += reader.greeted ? 1 : 0;
        }
        return count;
    }

    /** Waits until every connected reader has every one of {@code seqs}, or the time is up. */
    void awaitArrivals(List<Long> seqs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int connected = connected();
        // Counting first, which costs next to nothing: the harness shares the cores with what it measures.
        while (System.nanoTime() < deadline && (withAtLeast(seqs.size()) < connected
            || complete(seqs) < connected)) {
            StackProcess.sleep(Duration.ofMillis(50));
        }
    }

    private int withAtLeast(int arrivals) {
        int count = 0;
        for (Reader reader : readers) {
            count += reader.arrivals.size() >= arrivals ? 1 : 0;
        }
        return count;
    }

    /** How many readers have every one of {@code seqs}. */
    int complete(List<Long> seqs) {
        if (seqs.isEmpty()) {
            return 0;
        }
        int count = 0;
        for (Reader reader : readers) {
            if (reader.arrivals.keySet().containsAll(seqs)) {
                count++;
            }
        }
        return count;
    }

    /** When the comment at {@code seq} reached each reader that has it (System.nanoTime). */
    List<Long> arrivals(long seq) {
        List<Long> times = new ArrayList<>();
        for (Reader reader : readers) {
            Long time = reader.arrivals.get(seq);
            if (time != null) {
                times.add(time);
            }
        }
        return times;
    }

    /** Events that came more than once to the same reader. */
    long duplicates() {
        long count = 0;
        for (Reader reader : readers) {
            count += reader.duplicates;
        }
        return count;
    }

    int ended() {
        return ended.get();
    }

    int refused() {
        return refused.get();
    }

    int size() {
        return readers.size();
    }

    @Override
    public void close() {
        loops.forEach(Loop::close);
    }

    /** One thread with its selector, and the readers whose sockets it serves. */
    private final class Loop implements Runnable {

        private final Selector selector;

        private final Thread thread;

        private final Queue<Reader> connecting = new ConcurrentLinkedQueue<>();

        /** What a read brings, before a reader takes it: one buffer for all the loop's readers. */
        private final ByteBuffer read = ByteBuffer.allocateDirect(64 * 1024);

        private volatile boolean closed;

        Loop(int index) throws IOException {
            selector = Selector.open();
            thread = new Thread(this, "bench-readers-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        void connect(Reader reader, InetSocketAddress address) throws IOException {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            reader.channel = channel;
            channel.connect(address);
            connecting.add(reader);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (!closed) {
                    selector.select(100);
                    for (Reader reader = connecting.poll(); reader != null; reader = connecting.poll()) {
                        reader.channel.register(selector, SelectionKey.OP_CONNECT, reader);
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        serve(key, (Reader) key.attachment());
                    }
                    selector.selectedKeys().clear();
                }
            }
            catch (IOException | ClosedSelectorException ex) {
                // Closed with the readers.
            }
            finally {
                for (SelectionKey key : selector.keys()) {
                    closeQuietly((Reader) key.attachment());
                }
                try {
                    selector.close();
                }
                catch (IOException ex) {
                    // Nothing more to release.
                }
            }
        }

        private void serve(SelectionKey key, Reader reader) {
            try {
                if (key.isValid() && key.isConnectable()) {
                    reader.channel.finishConnect();
                    ByteBuffer request = ByteBuffer.wrap(reader.request);
                    while (request.hasRemaining()) {
                        reader.channel.write(request);
                    }
                    key.interestOps(SelectionKey.OP_READ);
                }
                else if (key.isValid() && key.isReadable()) {
                    read.clear();
                    int count = reader.channel.read(read);
                    if (count < 0) {
                        end(key, reader);
                        return;
                    }
                    long now = System.nanoTime();
                    read.flip();
                    if (!reader.take(read, now)) {
                        end(key, reader);
                    }
                }
            }
            catch (IOException ex) {
                end(key, reader);
            }
        }

        private void end(SelectionKey key, Reader reader) {
            key.cancel();
            if (reader.refused) {
                refused.incrementAndGet();
            }
            closeQuietly(reader);
            ended.incrementAndGet();
        }

        void close() {
            closed = true;
            selector.wakeup();
            try {
                thread.join(Duration.ofSeconds(30).toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Reader reader) {
        try {
            reader.channel.close();
        }
        catch (IOException ex) {
            // Already gone.
        }
    }

    /**
     * One reader: undoes the HTTP answer's chunks and splits what is left into lines, noting the id of each
     * {@code comment.created} event and when its last line came. Touched by its loop's thread only, but for what
     * the counting methods read.
     */
    private static final class Reader {

        private enum Part { HEAD, SIZE, DATA, DATA_END, BODY }

        private static final byte[] CREATED = "comment.created".getBytes(StandardCharsets.US_ASCII);

        private final byte[] request;

        private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();

        private SocketChannel channel;

        private Part part = Part.HEAD;

        private boolean chunked;

        private long chunkLeft;

        /** The line being read: the answer's head, a chunk's size, or a line of the stream. */
        private byte[] line = new byte[256];

        private int length;

        private long id = -1;

        private boolean created;

        private boolean refused;

        private volatile boolean greeted;

        private volatile long duplicates;

        Reader(byte[] request) {
            this.request = request;
        }

        /** Takes what a read brought; false when the reader is done (refused, or the stream ended). */
        boolean take(ByteBuffer bytes, long now) {
            while (bytes.hasRemaining()) {
                switch (part) {
                    case HEAD -> {
                        if (!head(bytes.get())) {
                            return false;
                        }
                    }
                    case SIZE -> {
                        if (!size(bytes.get())) {
                            return false;
                        }
                    }
                    case DATA -> {
                        int take = (int) Math.min(chunkLeft, bytes.remaining());
                        for (int i = 0; i < take; i++) {
                            body(bytes.get(), now);
                        }
                        chunkLeft -= take;
                        if (chunkLeft == 0) {
                            part = Part.DATA_END;
                            chunkLeft = 2;
                        }
                    }
                    case DATA_END -> {
                        bytes.get();
                        if (--chunkLeft == 0) {
                            part = Part.SIZE;
                        }
                    }
                    case BODY -> body(bytes.get(), now);
                }
            }
            return true;
        }

        /** A byte of the answer's head; at its end, whether the stream was granted. */
        private boolean head(byte b) {
            append(b);
            if (length < 4 || line[length - 4] != '\r' || line[length - 3] != '\n' || line[length - 2] != '\r'
                || b != '\n') {
                return true;
            }
            String head = new String(line, 0, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            length = 0;
            if (!head.startsWith("http/1.1 200")) {
                refused = true;
                return false;
            }
            chunked = head.contains("\ntransfer-encoding: chunked");
            part = chunked ? Part.SIZE : Part.BODY;
            return true;
        }

        /** A byte of a chunk's size line; a chunk of size 0 ends the answer. */
        private boolean size(byte b) {
            if (b != '\n') {
                append(b);
                return true;
            }
            int end = 0;
            while (end < length && Character.digit(line[end], 16) >= 0) {
                end++;
            }
            chunkLeft = Long.parseLong(new String(line, 0, end, StandardCharsets.US_ASCII), 16);
            length = 0;
            if (chunkLeft == 0) {
                return false;
            }
            part = Part.DATA;
            return true;
        }

        /** A byte of the stream itself. */
        private void body(byte b, long now) {
            if (b != '\n') {
                append(b);
                return;
            }
            int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
            length = 0;
            if (end == 0) {
                // The end of an event.
                if (created && id >= 0 && arrivals.putIfAbsent(id, now) != null) {
                    duplicates++;
                }
                id = -1;
                created = false;
            }
            else if (line[0] == ':') {
                greeted = true;
            }
            else if (startsWith("id:", end)) {
                id = number(3, end);
            }
            else if (startsWith("event:", end)) {
                int from = end > 6 && line[6] == ' ' ? 7 : 6;
                created = end - from == CREATED.length
                    && Arrays.equals(line, from, end, CREATED, 0, CREATED.length);
            }
        }

        private boolean startsWith(String field, int end) {
            if (end < field.length()) {
                return false;
            }
            for (int i = 0; i < field.length(); i++) {
                if (line[i] != field.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private long number(int from, int end) {
            long value = 0;
            for (int i = from; i < end; i++) {
                byte digit = line[i];
                if (digit == ' ' && value == 0) {
                    continue;
                }
                if (digit < '0' || digit > '9') {
                    return -1;
                }
                value = value * 10 + digit - '0';
            }
            return value;
        }

        private void append(byte b) {
            if (length == line.length) {
                line = Arrays.copyOf(line, line.length * 2);
            }
            line[length++] = b;
        }
    }
}

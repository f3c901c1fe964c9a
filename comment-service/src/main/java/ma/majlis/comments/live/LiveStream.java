package ma.majlis.comments.live;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.MonoSink;

/**
 * One reader's stream, written straight to its connection once the response has begun: each change is one chunk
 * of the response, flushed at once.
 *
 * <p>A reader starts by catching up: it is registered for live changes first, then the changes after its position
 * are read from the database, a page at a time, each page written out before the next is read. Live changes that
 * come meanwhile wait, up to {@code buffer} of them; once the database has nothing more, they follow, and since the
 * reader was registered before the database was read, together they leave no gap. Then the reader is live: the next
 * change in order is written as it comes, one already sent is skipped, and one that skips positions (or waiting
 * changes that overflowed) sends the reader back to the database. So a reader gets every change once, in order.
 *
 * <p>Everything about a reader runs on its connection's event loop, one thing at a time, so its state needs no
 * lock. A reader whose connection has taken none of the last {@code buffer} events is let go: its connection is
 * closed, and its browser reconnects with {@code Last-Event-ID} and catches up from the database, so that a slow
 * reader costs the others nothing.
 */
final class LiveStream implements ChannelFutureListener {

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    /** A comment line, so that proxies see the connection in use and keep it open. */
    private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private final StreamHub hub;

    private final UUID articleId;

    private final Channel channel;

    private final EventLoop loop;

    private final MonoSink<Void> end;

    /** The last position this reader was sent (or passed over, for changes readers do not see). */
    private long sent;

    /** Live changes that came while this reader was catching up, in order; null once it is live. */
    private @Nullable ArrayDeque<StreamEvent> waiting = new ArrayDeque<>();

    /** Whether live changes came while catching up that did not fit in {@link #waiting}. */
    private boolean missed;

    private boolean closed;

    /** Events handed to the connection that the socket has not taken yet. */
    private int unwritten;

    private @Nullable ScheduledFuture<?> heartbeats;

    /**
     * @param end completing it ends the response, with the last chunk
     */
    LiveStream(StreamHub hub, UUID articleId, Channel channel, MonoSink<Void> end) {
        this.hub = hub;
        this.articleId = articleId;
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.end = end;
    }

    UUID articleId() {
        return articleId;
    }

    EventLoop loop() {
        return loop;
    }

    /** Catches the reader up from position {@code after}, then keeps it live, with heartbeats. */
    void start(long after) {
        onLoop(() -> {
            if (closed) {
                return;
            }
            sent = after;
            long every = hub.settings().heartbeat().toMillis();
            heartbeats = loop.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
            catchUp();
        });
    }

    /**
     * A change as it happens, on this reader's event loop.
     *
     * @param frame the change's bytes as readers receive them, shared by every reader; null when readers do not see
     * this change
     */
    void live(StreamEvent event, @Nullable ByteBuf frame) {
        if (closed) {
            return;
        }
        if (waiting != null) {
            hold(event);
            return;
        }
        long seq = event.seq();
        if (seq <= sent) {
            return;
        }
        if (seq > sent + 1) {
            // Some changes between did not come this way: the database has them.
            waiting = new ArrayDeque<>();
            hold(event);
            catchUp();
            return;
        }
        sent = seq;
        if (frame == null) {
            return;
        }
        if (unwritten >= hub.settings().buffer()) {
            log.debug("Letting a reader of article {} go: it has not taken its last {} events; it reconnects and"
                + " catches up.", articleId, unwritten);
            channel.close();
            return;
        }
        write(frame.retainedDuplicate());
    }

    /** Ends the stream with a word that this instance is going away: the browser reconnects, to another one. */
    void shutDown(byte[] lastWord) {
        onLoop(() -> {
            if (closed) {
                return;
            }
            write(Unpooled.wrappedBuffer(lastWord));
            close();
        });
    }

    /** Ends the stream (its response ends with the last chunk) and forgets the reader; once, from any thread. */
    void close() {
        onLoop(() -> {
            if (closed) {
                return;
            }
            closed = true;
            if (heartbeats != null) {
                heartbeats.cancel(false);
            }
            hub.remove(this);
            end.success();
        });
    }

    /** Counts an event out of the connection's hands. */
    @Override
    public void operationComplete(ChannelFuture written) {
        unwritten--;
    }

    private void hold(StreamEvent event) {
        if (waiting != null && waiting.size() < hub.settings().buffer()) {
            waiting.add(event);
        }
        else {
            missed = true;
        }
    }

    private void catchUp() {
        hub.history().after(articleId, sent).subscribe(
            events -> onLoop(() -> caughtUp(events)),
            error -> onLoop(() -> {
                log.warn("Could not read the past changes of article {} for a reader, so its stream ends and the"
                    + " reader reconnects in a moment to try again. Check that the database is reachable: {}",
                    articleId, error.toString());
                close();
            }));
    }

    private void caughtUp(List<StreamEvent> events) {
        if (closed) {
            return;
        }
        ChannelFuture last = null;
        for (StreamEvent event : events) {
            if (event.seq() <= sent) {
                continue;
            }
            sent = event.seq();
            byte[] frame = event.frame(hub.json());
            if (frame.length > 0) {
                last = write(Unpooled.wrappedBuffer(frame));
            }
        }
        if (events.size() == StreamHistory.PAGE) {
            // More in the database: the next page once this one has gone out, so a reader far behind holds one.
            if (last == null) {
                catchUp();
            }
            else {
                last.addListener(written -> {
                    if (written.isSuccess() && !closed) {
                        catchUp();
                    }
                });
            }
            return;
        }
        if (!goLive()) {
            catchUp();
        }
    }

    /**
     * Sends the changes that waited, and makes the reader live, unless they do not follow on from what it was sent:
     * then it has to read the database again.
     */
    private boolean goLive() {
        ArrayDeque<StreamEvent> queued = waiting;
        if (queued == null) {
            return true;
        }
        if (missed) {
            queued.clear();
            missed = false;
            return false;
        }
        for (StreamEvent event = queued.poll(); event != null; event = queued.poll()) {
            if (event.seq() <= sent) {
                continue;
            }
            if (event.seq() > sent + 1) {
                queued.clear();
                return false;
            }
            sent = event.seq();
            byte[] frame = event.frame(hub.json());
            if (frame.length > 0) {
                write(Unpooled.wrappedBuffer(frame));
            }
        }
        waiting = null;
        return true;
    }

    private void heartbeat() {
        if (!closed && unwritten == 0) {
            write(Unpooled.wrappedBuffer(HEARTBEAT));
        }
    }

    private ChannelFuture write(ByteBuf bytes) {
        unwritten++;
        ChannelFuture written = channel.writeAndFlush(new DefaultHttpContent(bytes));
        written.addListener(this);
        return written;
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        }
        else {
            loop.execute(task);
        }
    }
}

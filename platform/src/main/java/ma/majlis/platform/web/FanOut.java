package ma.majlis.platform.web;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * Hands one event to many stream readers, each on the event loop of its connection: one task per loop, whatever the
 * number of readers, and the event's bytes written once, outside the heap, and shared by all of them.
 */
public final class FanOut {

    private FanOut() {
    }

    /** {@code bytes} in a read-only buffer outside the heap, or null when there are none; the caller releases it. */
    public static @Nullable ByteBuf shared(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        return ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes).asReadOnly();
    }

    /**
     * Runs {@code action} for each reader on its loop, with {@code frame}; the frame is kept for as long as the loops
     * need it, and the caller's reference stays the caller's to release.
     *
     * @param frame the event's bytes, shared; null for an event that the readers do not see
     */
    public static <R> void toEach(Iterable<R> readers, Function<R, EventLoop> loopOf, @Nullable ByteBuf frame,
        BiConsumer<R, @Nullable ByteBuf> action) {
        Map<EventLoop, List<R>> byLoop = new IdentityHashMap<>();
        for (R reader : readers) {
            byLoop.computeIfAbsent(loopOf.apply(reader), loop -> new ArrayList<>()).add(reader);
        }
        for (Map.Entry<EventLoop, List<R>> entry : byLoop.entrySet()) {
            List<R> onLoop = entry.getValue();
            if (frame != null) {
                frame.retain();
            }
            try {
                entry.getKey().execute(() -> {
                    try {
                        for (R reader : onLoop) {
                            action.accept(reader, frame);
                        }
                    }
                    finally {
                        if (frame != null) {
                            frame.release();
                        }
                    }
                });
            }
            catch (RejectedExecutionException ex) {
                // The loop is shutting down, and its connections with it.
                if (frame != null) {
                    frame.release();
                }
            }
        }
    }
}

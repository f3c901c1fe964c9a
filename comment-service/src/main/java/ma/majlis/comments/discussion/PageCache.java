package ma.majlis.comments.discussion;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The pages of discussions as last read, each kept with the version of its article it was read at: a page is served
 * again for as long as its article's version is the same, and read from the database again once it changed.
 *
 * <p>The version is the article's stream position, which every change that readers see takes (a comment posted,
 * edited, deleted or moderated), and its count of votes, which change scores without taking a position. Both are
 * read with the article on every request, so a page is never older than the article as that request found it: a
 * reader who posted, or voted, sees it at once, on any instance. A page read while a change commits is kept under
 * the version read before it, so it holds that version at least; the next request finds a newer version and reads
 * the page again.
 *
 * <p>What it saves is the reading of a page, its comments and their first replies, over a hundred rows on a busy
 * discussion, each decoded and checked: most of what a page cost (bench/FINDINGS.md). The pages take at most
 * {@code MAJLIS_PAGE_CACHE} of heap, as estimated from their text; the least used go first.
 */
@Component
class PageCache {

    /** What a comment holds besides its text: ids, times, numbers and the objects around them. */
    static final int BYTES_PER_COMMENT = 320;

    /** A page: which article, in which order, from where, how many. */
    record Key(UUID articleId, String slug, CommentCursor.Sort sort, @Nullable CommentCursor cursor, int limit) {
    }

    /** What an article's pages depend on: its stream position, and its count of votes. */
    record Version(long lastSeq, long votes) {

        boolean isBefore(Version other) {
            return lastSeq <= other.lastSeq && votes <= other.votes && !equals(other);
        }
    }

    private record Kept(Version version, CommentPage page, int bytes) {
    }

    private final @Nullable Cache<Key, Kept> pages;

    PageCache(CommentSettings settings, MeterRegistry meters) {
        long bytes = settings.pageCache().toBytes();
        if (bytes <= 0) {
            pages = null;
            return;
        }
        pages = Caffeine.newBuilder()
            .maximumWeight(bytes)
            .<Key, Kept>weigher((key, kept) -> kept.bytes())
            .recordStats()
            .build();
        CaffeineCacheMetrics.monitor(meters, pages, "discussion-pages");
    }

    /** The page at {@code key} as of {@code version}: kept, or {@code read} and kept. */
    Mono<CommentPage> page(Key key, Version version, Supplier<Mono<CommentPage>> read) {
        if (pages == null) {
            return read.get();
        }
        Kept kept = pages.getIfPresent(key);
        if (kept != null && kept.version().equals(version)) {
            return Mono.just(kept.page());
        }
        return read.get().doOnNext(page -> {
            Kept fresh = new Kept(version, page, bytes(page.items()));
            // Of two readers of the same page, the one who read it at the later version keeps it.
            pages.asMap().merge(key, fresh, (old, given) -> given.version().isBefore(old.version()) ? old : given);
        });
    }

    /** Roughly what the comments take of the heap: their fixed part, and their text at two bytes a character. */
    static int bytes(List<CommentView> comments) {
        long total = 0;
        for (CommentView comment : comments) {
            total += BYTES_PER_COMMENT + 2L * (length(comment.bodyHtml()) + length(comment.authorName())
                + comment.articleSlug().length());
            if (comment.replies() != null) {
                total += bytes(comment.replies());
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    private static int length(@Nullable String text) {
        return text == null ? 0 : text.length();
    }
}

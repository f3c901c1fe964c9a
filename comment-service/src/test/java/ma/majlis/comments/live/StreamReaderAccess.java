package ma.majlis.comments.live;

import java.util.List;

/** A stream reader for tests outside this package: the names of the changes it received, in order. */
public final class StreamReaderAccess implements AutoCloseable {

    private final StreamReader reader;

    public StreamReaderAccess(int port, String slug) {
        this.reader = new StreamReader(port, slug, null);
    }

    public boolean connected() {
        return reader.connected();
    }

    public List<String> names() {
        return reader.changes().stream().map(event -> event.event()).toList();
    }

    @Override
    public void close() {
        reader.close();
    }
}

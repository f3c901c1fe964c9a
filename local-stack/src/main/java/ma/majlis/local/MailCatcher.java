package ma.majlis.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * The local stack's mail catcher: an SMTP server (GreenMail) that accepts every mail comment-service sends, keeps
 * each one as an {@code .eml} file and tells the newcomer about it, with the first link it holds (a confirmation
 * or an unsubscribe link), so the notification flow can be followed without a real mailbox.
 */
final class MailCatcher implements AutoCloseable {

    private static final Pattern LINK = Pattern.compile("https?://\\S+");

    private final GreenMail server;

    private final Path folder;

    private final Consumer<String> say;

    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "majlis-mail-catcher");
        thread.setDaemon(true);
        return thread;
    });

    private int seen;

    private MailCatcher(GreenMail server, Path folder, Consumer<String> say) {
        this.server = server;
        this.folder = folder;
        this.say = say;
    }

    /** Listens on 127.0.0.1:{@code port} and saves what arrives in {@code folder}. */
    static MailCatcher start(int port, Path folder, Consumer<String> say) {
        try {
            Files.createDirectories(folder);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        MailCatcher catcher = new MailCatcher(server, folder, say);
        catcher.watcher.scheduleWithFixedDelay(catcher::report, 500, 500, TimeUnit.MILLISECONDS);
        return catcher;
    }

    private synchronized void report() {
        MimeMessage[] received = server.getReceivedMessages();
        for (int i = seen; i < received.length; i++) {
            try {
                Path file = folder.resolve(String.format(Locale.ROOT, "%04d.eml", nextNumber()));
                try (OutputStream out = Files.newOutputStream(file)) {
                    received[i].writeTo(out);
                }
                String to = Arrays.stream(received[i].getAllRecipients()).map(Address::toString)
                    .reduce((a, b) -> a + ", " + b).orElse("?");
                Matcher link = LINK.matcher(String.valueOf(received[i].getContent()));
                say.accept("Mail to " + to + ": \u201c" + received[i].getSubject() + "\u201d (" + file + ")"
                    + (link.find() ? "\n    link: " + link.group() : ""));
            }
            catch (IOException | MessagingException | RuntimeException ex) {
                say.accept("A mail arrived but could not be saved: " + ex.getMessage());
            }
        }
        seen = received.length;
    }

    /** Numbers the files on from those of earlier runs. */
    private int nextNumber() throws IOException {
        try (var files = Files.list(folder)) {
            return (int) files.count() + 1;
        }
    }

    int port() {
        return server.getSmtp().getPort();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        server.stop();
    }
}

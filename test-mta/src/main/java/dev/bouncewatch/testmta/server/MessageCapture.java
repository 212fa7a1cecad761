package dev.bouncewatch.testmta.server;

import dev.bouncewatch.testmta.session.CapturedMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accepted messages as {@code <captureDir>/<timestamp>-<session>-<n>.eml} with the envelope
 * in {@code X-TestMta-*} header fields, on its own thread so disk I/O never stalls an event loop.
 * Files appear atomically (written under a temporary name, then moved).
 */
final class MessageCapture implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageCapture.class);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path directory;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-mta-capture");
        t.setDaemon(true);
        return t;
    });

    MessageCapture(Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create capture directory " + directory + ": " + e, e);
        }
    }

    /** Takes ownership of the message's content. */
    void write(CapturedMessage message) {
        try {
            writer.execute(() -> {
                try {
                    store(message);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot capture message {} of session {} in {}", message.index(), message.sessionId(),
                            directory, e);
                } finally {
                    message.content().release();
                }
            });
        } catch (RejectedExecutionException e) {
            message.content().release();
        }
    }

    private void store(CapturedMessage m) throws IOException {
        String name = STAMP.format(m.received()) + "-" + m.sessionId() + "-" + m.index() + ".eml";
        Path target = directory.resolve(name);
        Path temporary = directory.resolve("." + name + ".tmp");
        StringBuilder envelope = new StringBuilder();
        field(envelope, "X-TestMta-Session", m.sessionId());
        field(envelope, "X-TestMta-Queue-Id", m.queueId());
        field(envelope, "X-TestMta-Received", m.received().toString());
        field(envelope, "X-TestMta-Client", m.clientIp());
        field(envelope, "X-TestMta-Helo", m.helo());
        field(envelope, "X-TestMta-Mail-From", "<" + m.mailFrom() + ">");
        for (String rcpt : m.recipients()) {
            field(envelope, "X-TestMta-Rcpt-To", "<" + rcpt + ">");
        }
        try (OutputStream out = Files.newOutputStream(temporary)) {
            out.write(envelope.toString().getBytes(StandardCharsets.UTF_8));
            m.content().getBytes(m.content().readerIndex(), out, m.content().readableBytes());
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void field(StringBuilder out, String name, String value) {
        String clean = value == null ? "" : value.replaceAll("[\r\n]+", " ");
        out.append(name).append(": ").append(clean).append("\r\n");
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("capture writer did not finish within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

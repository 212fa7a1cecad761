package dev.bouncewatch.agent.store;

import dev.bouncewatch.agent.classify.Category;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Child process of {@link CrashTest}: appends batches of N results, each with checkpoint = batch
 * number, in one transaction, until it is killed. It resumes from the stored checkpoint like the agent.
 */
public final class CrashWriter {

    static final String SOURCE = "file:/var/log/mail.log";

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        try (Store store = Store.open(file)) {
            long batch = store.reader().checkpoint(SOURCE).map(Long::parseLong).orElse(0L);
            while (true) {
                long next = ++batch;
                store.write(tx -> {
                    for (int i = 0; i < n; i++) {
                        StoredResult r = i % 4 == 0
                                ? Results.bounced("u" + i + "@example.com", Instant.ofEpochSecond(next), Category.USERUNKNOWN,
                                "5.1.1", "550 5.1.1 batch " + next + " row " + i)
                                : Results.delivered("u" + i + "@example.com", Instant.ofEpochSecond(next));
                        tx.insertResult(new StoredResult(0, r.source(), r.ingestedAt(),
                                withQueueId(r, next + "-" + i), r.classification()));
                    }
                    tx.saveCheckpoint(SOURCE, Long.toString(next));
                    return null;
                });
            }
        }
    }

    private static dev.bouncewatch.agent.model.DeliveryResult withQueueId(StoredResult s, String queueId) {
        var r = s.result();
        return new dev.bouncewatch.agent.model.DeliveryResult(r.time(), r.host(), r.mta(), queueId, r.messageId(),
                r.sender(), r.recipient(), r.origRecipient(), r.relay(), r.relayIp(), r.status(), r.mtaStatus(), r.dsn(),
                r.replyCode(), r.diagnostic(), r.stage(), r.delaySeconds(), r.attempts());
    }
}

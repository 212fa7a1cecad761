package dev.bouncewatch.testmta.server;

/**
 * Receives every reply the sink gives. Called on Netty event-loop threads: implementations must be
 * quick and must not block (hand off to a queue when they do I/O).
 */
@FunctionalInterface
public interface TransactionListener {

    void onReply(TransactionEvent event);

    TransactionListener NONE = event -> {
    };

    /** Calls both; a failure in one does not stop the other. */
    default TransactionListener andThen(TransactionListener next) {
        return event -> {
            try {
                onReply(event);
            } finally {
                next.onReply(event);
            }
        };
    }
}

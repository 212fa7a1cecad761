package dev.bouncewatch.agent.cli;

import dev.bouncewatch.agent.model.DeliveryResult;
import dev.bouncewatch.agent.parse.BackgroundStage;

import java.io.Closeable;
import java.io.IOException;

/**
 * Runs a {@link LogInputs.ResultHandler} (classify, then format or aggregate) on a thread of its own,
 * so on two cores it overlaps with parsing: on a large log the two cost about the same. Whatever the
 * handler built is safe to read once {@link #close()} has returned.
 */
final class BackgroundHandler implements LogInputs.ResultHandler, Closeable {

    private final BackgroundStage<DeliveryResult> stage;

    BackgroundHandler(LogInputs.ResultHandler handler, String name) {
        this.stage = new BackgroundStage<>(name, 256, handler::handle, () -> { });
    }

    @Override
    public void handle(DeliveryResult result) throws IOException {
        stage.accept(result);
    }

    /** Hands over what is left and waits until the handler has seen every result; rethrows its error. */
    @Override
    public void close() throws IOException {
        stage.close();
    }
}

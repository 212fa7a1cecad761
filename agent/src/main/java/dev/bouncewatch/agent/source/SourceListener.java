package dev.bouncewatch.agent.source;

/** Receives what a source read. Called from the source's thread; blocks when the pipeline is full. */
@FunctionalInterface
public interface SourceListener {

    /** Takes one batch; returns when it is queued. Interrupted only when the agent stops. */
    void onBatch(SourceBatch batch) throws InterruptedException;
}

package dev.bouncewatch.agent.notify;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body handler that keeps the first {@code max} bytes and then cancels the rest, so a
 * receiver answering with a huge or never-ending body can neither fill the heap nor hold a worker.
 * The text is decoded as UTF-8 (malformed bytes replaced).
 */
public final class BoundedBody implements HttpResponse.BodySubscriber<String> {

    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedBody(int max) {
        this.max = max;
    }

    public static HttpResponse.BodyHandler<String> handler(int max) {
        return info -> new BoundedBody(max);
    }

    @Override
    public CompletionStage<String> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int take = Math.min(b.remaining(), max - bytes.size());
            byte[] chunk = new byte[take];
            b.get(chunk);
            bytes.write(chunk, 0, take);
            if (bytes.size() >= max) {
                subscription.cancel(); // enough to say why; the connection is dropped rather than drained
                complete();
                return;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!result.isDone()) {
            complete(); // the status line and headers already told the outcome; a broken body only loses the detail
        }
    }

    @Override
    public void onComplete() {
        complete();
    }

    private void complete() {
        result.complete(bytes.toString(StandardCharsets.UTF_8));
    }
}

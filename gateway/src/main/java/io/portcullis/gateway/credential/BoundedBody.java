package io.portcullis.gateway.credential;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A response body handler that reads at most {@code limit} bytes and fails beyond (token responses are small). */
final class BoundedBody implements HttpResponse.BodySubscriber<String> {
    private final int limit;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    private Flow.Subscription subscription;

    private BoundedBody(int limit) {
        this.limit = limit;
    }

    static HttpResponse.BodyHandler<String> handler(int limit) {
        return info -> new BoundedBody(limit);
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
        for (ByteBuffer b : items) {
            if (buf.size() + b.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new TokenFetchException("token endpoint response is larger than " + limit + " bytes"));
                return;
            }
            byte[] a = new byte[b.remaining()];
            b.get(a);
            buf.write(a, 0, a.length);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(buf.toString(StandardCharsets.UTF_8));
    }
}

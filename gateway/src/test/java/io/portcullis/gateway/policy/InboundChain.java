package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Drives a policy list the way the gateway's chain runner does for a whole-body exchange: request phases first
 * to last, response phases last to first, one whole-body chunk, async whole-body policies awaited.
 */
final class InboundChain {
    record Outcome(Problem problem, byte[] body, Exchange exchange) {
        boolean passed() {
            return problem == null;
        }
    }

    static final class RecordingEvents implements GatewayEvents {
        final List<String> security = new ArrayList<>();

        @Override
        public void exchangeCompleted(Exchange exchange, int status, long bytesIn, long bytesOut, long durationNanos, String error) {
        }

        @Override
        public synchronized void securityEvent(String type, String severity, String vendor, String api, String app, String message,
                                               Map<String, String> attributes) {
            security.add(type + ":" + severity + ":" + message);
        }
    }

    static Exchange exchange(String method, String uri) {
        var req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        var x = new Exchange("req-1", Instant.now(), System.nanoTime(), req, null, new java.security.cert.X509Certificate[0], "http/1.1", null);
        x.route("payments", "core", "api.payments.example");
        x.app("billing");
        int q = uri.indexOf('?');
        x.pathInRoute(q < 0 ? uri : uri.substring(0, q));
        return x;
    }

    /** Runs the request body phases (whole body, last=true); returns the problem or null. */
    static Problem request(List<ExchangePolicy> chain, Exchange x, byte[] body) {
        ByteBuf out = Unpooled.wrappedBuffer(body);
        for (ExchangePolicy p : chain) {
            HeadVerdict h = p.onRequestHead(x);
            if (h instanceof HeadVerdict.Reject r) return r.problem();
        }
        for (ExchangePolicy p : chain) {
            var v = p.onRequestBody(x, out, true);
            if (v instanceof BodyVerdict.Pending pending) v = pending.later().toCompletableFuture().join();
            if (v instanceof BodyVerdict.Reject r) return r.problem();
            out = ((BodyVerdict.Pass) v).out();
        }
        out.release();
        return null;
    }

    static Outcome respond(List<ExchangePolicy> chain, Exchange x, int status, Map<String, String> headers, byte[] body) {
        var resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        headers.forEach((k, v) -> resp.headers().set(k, v));
        x.response(resp);
        for (int i = chain.size() - 1; i >= 0; i--) {
            HeadVerdict h = chain.get(i).onResponseHead(x);
            if (h instanceof HeadVerdict.Reject r) return new Outcome(r.problem(), null, x);
        }
        ByteBuf out = Unpooled.wrappedBuffer(body);
        for (int i = chain.size() - 1; i >= 0; i--) {
            ExchangePolicy p = chain.get(i);
            BodyVerdict v = p instanceof InboundAsyncBodyPolicy a && a.needsWholeResponseBody(x)
                    ? a.onWholeResponseBodyAsync(x, out).toCompletableFuture().join()
                    : p.onResponseBody(x, out, true);
            if (v instanceof BodyVerdict.Pending pending) v = pending.later().toCompletableFuture().join();
            if (v instanceof BodyVerdict.Reject r) return new Outcome(r.problem(), null, x);
            out = ((BodyVerdict.Pass) v).out();
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        return new Outcome(null, bytes, x);
    }
}

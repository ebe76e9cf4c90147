package io.portcullis.gateway.credential;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.gateway.policy.CredentialPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the pipeline's part for {@link CredentialPolicy} over real sockets: builds the Netty request the app
 * sent, runs the policy's request head (waiting on Pending as the event loop would resume), sends the result to
 * the vendor with java.net.http, runs the response head, and replays once when the policy asks (the body is
 * empty here, so always replayable).
 */
final class PolicyDriver {
    record Result(int status, String body, Problem problem, int attempts, Exchange exchange) {
    }

    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "upgrade", "expect");
    private static final AtomicLong IDS = new AtomicLong();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI upstream;

    PolicyDriver(URI upstream) {
        this.upstream = upstream;
    }

    Result send(CredentialPolicy policy, String method, String pathInRoute, String query, Map<String, String> appHeaders) throws Exception {
        String uri = upstream.getRawPath() + pathInRoute + (query == null ? "" : "?" + query);
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
        appHeaders.forEach((k, v) -> req.headers().add(k, v));
        var ex = new Exchange(Long.toString(IDS.incrementAndGet()), Instant.now(), System.nanoTime(), req, null,
                new X509Certificate[0], "HTTP/1.1", null);
        ex.pathInRoute(pathInRoute);
        for (int attempt = 1; ; attempt++) {
            HeadVerdict v = policy.onRequestHead(ex);
            if (v instanceof HeadVerdict.Pending p) v = p.later().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (v instanceof HeadVerdict.Reject r) return new Result(r.problem().status(), null, r.problem(), attempt, ex);
            var rb = HttpRequest.newBuilder(URI.create(upstream.getScheme() + "://" + upstream.getRawAuthority() + req.uri()))
                    .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30));
            for (var e : req.headers()) if (!RESTRICTED.contains(e.getKey().toLowerCase())) rb.header(e.getKey(), e.getValue());
            HttpResponse<String> resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            var nr = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(resp.statusCode()));
            resp.headers().map().forEach((k, vs) -> {
                if (!k.startsWith(":")) for (String s : vs) nr.headers().add(k, s);
            });
            ex.response(nr);
            policy.onResponseHead(ex);
            if (CredentialPolicy.retryRequested(ex).isPresent()) continue;
            return new Result(resp.statusCode(), resp.body(), null, attempt, ex);
        }
    }

    Result get(CredentialPolicy policy, String path) throws Exception {
        return send(policy, "GET", path, null, Map.of());
    }

    static List<String> headerValues(Exchange ex, String name) {
        return ex.request().headers().getAll(name);
    }
}

package io.portcullis.gateway.policy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.portcullis.core.event.Decision;
import io.portcullis.gateway.credential.ApiCredential;
import io.portcullis.gateway.credential.Attachment;
import io.portcullis.gateway.credential.CredentialUnavailableException;
import io.portcullis.gateway.credential.RequestTarget;
import io.portcullis.gateway.credential.ResponseVerdict;
import io.portcullis.gateway.credential.StripRules;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Credential injection: strips the credentials the app sent toward the vendor, attaches the API's vendor
 * credential, and reads the vendor's answer for token problems. Sits after DLP in the outbound chain, so
 * injected secrets are never scanned or logged.
 *
 * <p>Request head: with a static key or a cached token the attachment is applied at once and the chain
 * continues on the event loop; otherwise the phase returns {@link HeadVerdict.Pending} and resumes on the
 * exchange's event loop when the token arrives, or rejects with a 503 {@code credential-unavailable} problem
 * carrying {@code Retry-After} (never the token endpoint's answer or any secret).
 *
 * <p>Response head: records {@code DPoP-Nonce}s and decides whether a replay is warranted; the pipeline reads
 * that with {@link #retryRequested(Exchange)} and replays once if it kept the body
 * (≤ {@link ApiCredential#REPLAY_BODY_LIMIT}), calling {@link #onRequestHead} again for the new attempt.
 * The {@code DPoP-Nonce} header is removed from the response the app sees: nonces are the gateway's business.
 */
public final class CredentialPolicy implements ExchangePolicy {
    /** Per-exchange state: the attachment used and the verdict on the response. */
    public static final class State {
        Attachment attachment;
        ResponseVerdict verdict = ResponseVerdict.DELIVER;
        int attempts;

        public int attempts() {
            return attempts;
        }
    }

    private static final io.netty.util.AsciiString DPOP_NONCE = io.netty.util.AsciiString.cached("DPoP-Nonce");
    private final ApiCredential credential;
    private final String scheme;
    private final String authority;
    /** Header names stripped from what the app sends, hashed once. */
    private final io.netty.util.AsciiString[] stripNames;

    /** @param upstream the API's upstream base URL (scheme, authority and base path of requests). */
    public CredentialPolicy(ApiCredential credential, URI upstream) {
        this.credential = credential;
        this.scheme = upstream.getScheme();
        this.authority = upstream.getRawAuthority();
        this.stripNames = credential.strip().headers().stream().map(io.netty.util.AsciiString::new).toArray(io.netty.util.AsciiString[]::new);
    }

    /**
     * Contributes a {@code CredentialPolicy} to the chain of every API that has a credential registered in
     * {@code broker} under its id ({@code vendor/name}); APIs without one get nothing.
     */
    public static io.portcullis.gateway.snapshot.SnapshotCompiler.PolicyContributor contributor(
            io.portcullis.gateway.credential.CredentialBroker broker) {
        return (api, cfg) -> broker.credential(api.id())
                .map(c -> java.util.List.<ExchangePolicy>of(new CredentialPolicy(c, api.upstream())))
                .orElse(java.util.List.of());
    }

    @Override
    public String name() {
        return "credential";
    }

    public ApiCredential credential() {
        return credential;
    }

    @Override
    public HeadVerdict onRequestHead(Exchange ex) {
        HttpRequest req = ex.request();
        StripRules strip = credential.strip();
        HttpHeaders h = req.headers();
        if (strip.keepAppCredentials()) {
            ex.decide(name(), Decision.Outcome.FLAG, "app credentials forwarded to the vendor (keepAppCredentials)");
        } else {
            for (io.netty.util.AsciiString n : stripNames) h.remove(n);
        }
        String uri = req.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        if (q >= 0) {
            String query = uri.substring(q + 1);
            String kept = strip.stripQuery(query);
            if (kept != query) req.setUri(kept == null ? rawPath : rawPath + "?" + kept);
        }
        // the pipeline has already rewritten the URI to the upstream form (base path + path in route)
        var target = new RequestTarget(req.method().name(), scheme, authority, rawPath.isEmpty() ? "/" : rawPath);
        State st = ex.state(State.class);
        if (st == null) {
            st = new State();
            ex.state(State.class, st);
        }
        st.attempts++;
        CompletableFuture<Attachment> f;
        try {
            f = credential.attach(target);
        } catch (RuntimeException e) {
            return HeadVerdict.reject(problem(e));
        }
        if (f.isDone() && !f.isCompletedExceptionally()) {
            apply(ex, st, f.join());
            return HeadVerdict.CONTINUE;
        }
        final State state = st;
        var later = ex.eventLoop() != null
                ? f.handleAsync((a, err) -> decide(ex, state, a, err), ex.eventLoop())
                : f.handle((a, err) -> decide(ex, state, a, err));
        return new HeadVerdict.Pending(later);
    }

    private HeadVerdict decide(Exchange ex, State st, Attachment a, Throwable err) {
        if (err != null) {
            ex.decide(name(), Decision.Outcome.DENY, "vendor credential unavailable");
            return HeadVerdict.reject(problem(err));
        }
        apply(ex, st, a);
        return HeadVerdict.CONTINUE;
    }

    private void apply(Exchange ex, State st, Attachment a) {
        HttpRequest req = ex.request();
        HttpHeaders h = req.headers();
        for (int i = 0; i < a.headerCount(); i++) h.set(a.headerNameAscii(i), a.headerValueAscii(i));
        if (a.queryName() != null) {
            String uri = req.uri();
            int q = uri.indexOf('?');
            req.setUri(q < 0 ? uri + "?" + a.appendToQuery(null) : uri.substring(0, q + 1) + a.appendToQuery(uri.substring(q + 1)));
        }
        st.attachment = a;
        ex.authScheme(a.scheme());
        ex.decide(name(), Decision.Outcome.MODIFY, a.auditReason());
        if (a.weak()) {
            ex.attribute("credential.weak", "credential sent as a query parameter");
            ex.decide(name(), Decision.Outcome.FLAG, "weak credential: sent as a query parameter");
        }
    }

    private Problem problem(Throwable err) {
        Throwable c = err;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) c = c.getCause();
        if (c instanceof CredentialUnavailableException cu) {
            return Problem.of(503, "credential-unavailable", "Vendor credential unavailable",
                            "the gateway could not obtain a credential for API " + cu.api() + "; retry after " + cu.retryAfterSeconds() + "s")
                    .withHeader("Retry-After", Long.toString(cu.retryAfterSeconds()));
        }
        return Problem.of(503, "credential-unavailable", "Vendor credential unavailable",
                "the gateway could not attach a credential for API " + credential.api()).withHeader("Retry-After", "5");
    }

    @Override
    public HeadVerdict onResponseHead(Exchange ex) {
        State st = ex.state(State.class);
        HttpResponse resp = ex.response();
        if (st == null || st.attachment == null || resp == null) return HeadVerdict.CONTINUE;
        HttpHeaders h = resp.headers();
        String nonce = h.get(DPOP_NONCE);
        st.verdict = credential.onResponse(st.attachment, resp.status().code(), h.get(HttpHeaderNames.WWW_AUTHENTICATE), nonce);
        if (nonce != null) h.remove(DPOP_NONCE);
        if (st.verdict instanceof ResponseVerdict.Retry r) {
            ex.decide(name(), st.attempts > 1 ? Decision.Outcome.FLAG : Decision.Outcome.MODIFY, "vendor answered 401 " + r.reason()
                    + (st.attempts > 1 ? " after a retry" : "; one replay with a fresh credential"));
        }
        return HeadVerdict.CONTINUE;
    }

    /**
     * The replay the credential asks for, if the exchange has had only one attempt; the pipeline replays at most
     * once and only when it kept the whole request body.
     */
    public static Optional<ResponseVerdict.Retry> retryRequested(Exchange ex) {
        State st = ex.state(State.class);
        if (st == null || st.attempts > 1) return Optional.empty();
        return st.verdict instanceof ResponseVerdict.Retry r ? Optional.of(r) : Optional.empty();
    }
}

package io.portcullis.gateway.policy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.portcullis.core.event.Decision;
import io.portcullis.core.event.FindingRecord;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.pipeline.BodyVerdict;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.Problem;
import io.portcullis.gateway.webhook.WebhookRequest;
import io.portcullis.gateway.webhook.WebhookVerdict;
import io.portcullis.gateway.webhook.WebhookVerifier;
import java.util.Map;

/**
 * The first policy of a webhook route: verifies the sender's signature, timestamp window and replay over the raw
 * request body with a {@link WebhookVerifier}, before any other inbound check and before anything is forwarded.
 *
 * <p>Needs the whole request body (bounded by the route's request limit). A refused delivery is answered with the
 * verifier's status (401) as an RFC 9457 problem, recorded as a finding and a security event; a verified one carries
 * the vendor's event id in the exchange ({@code webhook.event}). If the exchange fails after verification (the
 * internal service is unreachable or answers 5xx), the replay entry is released so the vendor's retry is accepted.
 * The verifier is kept across reloads by the snapshot compiler ({@link WebhookVerifier#successor}).
 */
public final class WebhookSignaturePolicy implements ExchangePolicy {
    private final WebhookVerifier verifier;
    private final String publicUrl; // null: derived from the Host header is NOT trusted; only Twilio needs it
    private final GatewayEvents events;

    public WebhookSignaturePolicy(WebhookVerifier verifier, String publicUrl, GatewayEvents events) {
        this.verifier = verifier;
        this.publicUrl = publicUrl;
        this.events = events;
    }

    public WebhookVerifier verifier() {
        return verifier;
    }

    @Override
    public String name() {
        return "webhook-signature";
    }

    @Override
    public boolean needsWholeRequestBody(Exchange x) {
        return true;
    }

    @Override
    public BodyVerdict onRequestBody(Exchange x, ByteBuf chunk, boolean last) {
        if (!last) return BodyVerdict.pass(chunk); // the runner aggregates: only the whole body arrives as last
        byte[] body = ByteBufUtil.getBytes(chunk, chunk.readerIndex(), chunk.readableBytes(), false);
        var headers = x.request().headers();
        String url = publicUrl == null ? null : publicUrl + query(x.request().uri());
        WebhookRequest req = url == null ? new WebhookRequest(body, headers::getAll) : new WebhookRequest(body, headers::getAll, url);
        WebhookVerdict v = verifier.verify(req);
        switch (v) {
            case WebhookVerdict.Verified ok -> {
                x.state(WebhookVerdict.Verified.class, ok);
                ok.vendorEventId().ifPresent(id -> x.attribute("webhook.event", id));
                x.decide(name(), Decision.Outcome.ALLOW, "signature verified (" + verifier.config().vendorKind().name().toLowerCase(java.util.Locale.ROOT) + ")");
                return BodyVerdict.pass(chunk);
            }
            case WebhookVerdict.Rejected r -> {
                chunk.release();
                x.find(new FindingRecord("webhook", r.reason().name(), "AUTHENTICITY", "request", r.message()));
                x.decide(name(), Decision.Outcome.DENY, r.message());
                events.securityEvent("webhook-" + r.reason().slug(), "high", x.vendor(), x.api(), null,
                        "webhook " + verifier.config().name() + " refused: " + r.message(), Map.of("requestId", x.requestId()));
                return new BodyVerdict.Reject(Problem.of(r.reason().httpStatus(), "webhook-" + r.reason().slug(),
                        r.reason().httpStatus() == 401 ? "Unauthorized" : "Bad Request", r.message()));
            }
        }
    }

    @Override
    public void onComplete(Exchange x) {
        WebhookVerdict.Verified ok = x.state(WebhookVerdict.Verified.class);
        if (ok == null) return;
        var resp = x.response();
        if (resp == null || resp.status().code() >= 500) verifier.release(ok); // not delivered: let the retry in
    }

    private static String query(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q);
    }
}

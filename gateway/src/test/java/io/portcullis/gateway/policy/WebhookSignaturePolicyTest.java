package io.portcullis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.InboundPolicy;
import io.portcullis.gateway.webhook.VendorKind;
import io.portcullis.gateway.webhook.WebhookConfig;
import io.portcullis.gateway.webhook.WebhookSecrets;
import io.portcullis.gateway.webhook.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The webhook route's first policies: signature and replay (401), then injection checks on the sender's body (400). */
class WebhookSignaturePolicyTest {
    static final byte[] SECRET = "It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8);

    static String githubSignature(byte[] secret, byte[] body) throws Exception {
        var mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    List<io.portcullis.gateway.pipeline.ExchangePolicy> chain(InboundChain.RecordingEvents events) {
        var verifier = WebhookVerifier.create(WebhookConfig.of("github-repo", VendorKind.GITHUB, WebhookSecrets.of(SECRET)), Clock.systemUTC());
        return List.of(new WebhookSignaturePolicy(verifier, null, events),
                new ThreatPolicy(InboundPolicies.THREATS, InboundPolicy.WEBHOOK_DEFAULT.threats(), InboundPolicy.Limits.DEFAULT, ThreatPolicy.Side.SENDER_REQUEST, events));
    }

    static io.portcullis.gateway.pipeline.Exchange delivery(byte[] body, String signature) {
        var x = InboundChain.exchange("POST", "/hooks/github");
        x.request().headers().set("Content-Type", "application/json").set("X-Hub-Signature-256", signature)
                .set("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        return x;
    }

    @Test
    void aValidlySignedDeliveryPassesOnceAndItsReplayIsRefused() throws Exception {
        var events = new InboundChain.RecordingEvents();
        var chain = chain(events);
        byte[] body = "{\"action\":\"opened\",\"issue\":{\"title\":\"Crash on start\",\"body\":\"Steps: run it\"}}".getBytes(StandardCharsets.UTF_8);
        String sig = githubSignature(SECRET, body);
        var first = delivery(body, sig);
        assertThat(InboundChain.request(chain, first, body)).isNull();
        assertThat(first.attributes()).containsEntry("webhook.event", "72d3162e-cc78-11e3-81ab-4c9367dc0958");
        var replay = InboundChain.request(chain, delivery(body, sig), body);
        assertThat(replay).isNotNull();
        assertThat(replay.status()).isEqualTo(401);
    }

    @Test
    void aBadSignatureIsRefusedWith401AndAFindingWithoutTheSignature() throws Exception {
        var events = new InboundChain.RecordingEvents();
        byte[] body = "{\"action\":\"opened\"}".getBytes(StandardCharsets.UTF_8);
        String forged = githubSignature("wrong-secret".getBytes(StandardCharsets.UTF_8), body);
        var x = delivery(body, forged);
        var p = InboundChain.request(chain(events), x, body);
        assertThat(p.status()).isEqualTo(401);
        assertThat(x.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo("webhook");
            assertThat(f.detail()).doesNotContain(forged.substring(7));
        });
        assertThat(events.security).hasSize(1);
    }

    @Test
    void aSignedBodyCarryingAnInjectionPayloadIsRefusedWith400() throws Exception {
        var events = new InboundChain.RecordingEvents();
        byte[] body = "{\"action\":\"opened\",\"issue\":{\"title\":\"x' OR '1'='1' --\"}}".getBytes(StandardCharsets.UTF_8);
        var x = delivery(body, githubSignature(SECRET, body));
        var p = InboundChain.request(chain(events), x, body);
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.type()).contains("request-threat");
        assertThat(x.findings()).anySatisfy(f -> {
            assertThat(f.type()).isEqualTo("SQLI");
            assertThat(f.path()).isEqualTo("body.$.issue.title");
        });
    }
}

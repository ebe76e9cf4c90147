package io.portcullis.gateway.webhook;

import static io.portcullis.gateway.webhook.TestSigning.hex;
import static io.portcullis.gateway.webhook.TestSigning.hmac;
import static io.portcullis.gateway.webhook.TestSigning.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.gateway.webhook.TestSigning.MutableClock;
import io.portcullis.gateway.webhook.WebhookVerdict.Rejected;
import io.portcullis.gateway.webhook.WebhookVerdict.Verified;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Config validation, vendor defaults, supplied (rotating) secrets and replay switched off. */
class WebhookConfigTest {
    final MutableClock clock = MutableClock.atEpochSecond(1_732_000_000L);

    static WebhookRequest github(String secret, String body) {
        return new WebhookRequest(utf8(body), WebhookHeaders.ofSingle("X-Hub-Signature-256", "sha256=" + hex(hmac("HmacSHA256", utf8(secret), body))));
    }

    @Test
    void vendorDefaultsFollowTheirDocumentation() {
        var stripe = WebhookConfig.of("s", VendorKind.STRIPE, WebhookSecrets.of(utf8("k")));
        assertThat(stripe.tolerance()).isEqualTo(Duration.ofSeconds(300));
        assertThat(stripe.replayWindow()).isEqualTo(Duration.ofSeconds(600));
        var slack = WebhookConfig.of("s", VendorKind.SLACK, WebhookSecrets.of(utf8("k")));
        assertThat(slack.tolerance()).isEqualTo(Duration.ofMinutes(5));
        var github = WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.of(utf8("k")));
        assertThat(github.replayWindow()).isEqualTo(WebhookConfig.DEFAULT_UNTIMED_REPLAY_WINDOW);
    }

    @Test
    void replayWindowShorterThanTheTimestampWindowIsRefusedAtConfigTime() {
        var base = WebhookConfig.of("s", VendorKind.STRIPE, WebhookSecrets.of(utf8("k")));
        assertThatThrownBy(() -> base.withReplay(Duration.ofSeconds(599), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replayWindow");
        assertThat(base.withReplay(Duration.ofSeconds(600), 10).replayWindow()).isEqualTo(Duration.ofSeconds(600));
        assertThat(base.withReplay(Duration.ZERO, 10).replayWindow()).isZero();
        assertThat(base.withTolerance(Duration.ofMinutes(10), Duration.ofMinutes(1)).replayWindow()).isEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void missingOrEmptyFixedSecretsFailAtBuildTimeWithoutEchoingValues() {
        assertThatThrownBy(() -> WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.of()), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one secret");
        assertThatThrownBy(() -> WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.of(utf8("hunter2-value"), new byte[0])), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret #2 is empty").hasMessageNotContaining("hunter2");
    }

    @Test
    void suppliedSecretsRotateWithoutRebuildingTheVerifier() {
        AtomicReference<List<byte[]>> current = new AtomicReference<>(List.of(utf8("first")));
        var verifier = WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.supplied(current::get)), clock);
        assertThat(verifier.verify(github("first", "1"))).isInstanceOf(Verified.class);
        current.set(List.of(utf8("first"), utf8("second")));
        assertThat(verifier.verify(github("second", "2"))).isInstanceOf(Verified.class);
        current.set(List.of(utf8("second")));
        assertThat(verifier.verify(github("first", "3"))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.SIGNATURE_MISMATCH));
    }

    @Test
    void failingOrEmptySupplierIsAGatewayFaultNotAnException() {
        var failing = WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB,
                WebhookSecrets.supplied(() -> { throw new IllegalStateException("vault sealed: token=abc"); })), clock);
        assertThat(failing.verify(github("x", "1"))).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.KEYS_UNAVAILABLE);
            assertThat(r.reason().httpStatus()).isEqualTo(503);
            assertThat(r.message()).doesNotContain("token=abc");
        });
        var empty = WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.supplied(List::of)), clock);
        assertThat(empty.verify(github("x", "1"))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.KEYS_UNAVAILABLE));
    }

    @Test
    void reloadedConfigKeepsReplayMemorySoAReloadOpensNoReplayGap() {
        var config = WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.of(utf8("k")));
        var before = WebhookVerifier.create(config, clock);
        assertThat(before.verify(github("k", "captured"))).isInstanceOf(Verified.class);
        var rotated = new WebhookConfig("g", VendorKind.GITHUB, WebhookSecrets.of(utf8("k"), utf8("k2")),
                config.tolerance(), config.futureTolerance(), config.replayWindow(), config.replayCapacity());
        var after = before.successor(rotated);
        assertThat(after.verify(github("k", "captured"))).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.REPLAYED));
        assertThat(after.verify(github("k2", "new"))).isInstanceOf(Verified.class);
    }

    @Test
    void replayProtectionCanBeSwitchedOff() {
        var verifier = WebhookVerifier.create(WebhookConfig.of("g", VendorKind.GITHUB, WebhookSecrets.of(utf8("k"))).withReplay(Duration.ZERO, 1), clock);
        assertThat(verifier.verify(github("k", "same"))).isInstanceOf(Verified.class);
        assertThat(verifier.verify(github("k", "same"))).isInstanceOf(Verified.class);
        assertThat(verifier.replayStats()).isEmpty();
    }

    @Test
    void secretsNeverAppearInToStringOrReasonSlugs() {
        var secrets = WebhookSecrets.of(utf8("super-secret-value"));
        assertThat(secrets.toString()).doesNotContain("super-secret-value");
        assertThat(RejectReason.SIGNATURE_MISMATCH.slug()).isEqualTo("signature-mismatch");
    }
}

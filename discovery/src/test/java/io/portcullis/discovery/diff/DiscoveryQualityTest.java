package io.portcullis.discovery.diff;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression guard for template quality on generated traffic. Uses the development seed (1); the figures reported
 * by {@code bench/discovery-quality} use a different seed so they are not measured on the data the rules were
 * checked against.
 */
class DiscoveryQualityTest {
    private static final Path SPECS = Path.of("src/test/resources/learn/specs");

    @Test
    void templatesReachTheF1TargetOnEveryVendorShape() throws Exception {
        DiscoveryQuality.Score total = new DiscoveryQuality.Score();
        for (DiscoveryQuality.SpecRun r : DiscoveryQuality.SPECS) {
            DiscoveryQuality.Score s = DiscoveryQuality.evaluate(SPECS.resolve(r.file()), 1, 400, 1.1, 0.10, r.rpc());
            assertThat(s.f1()).as(r.file()).isGreaterThanOrEqualTo(0.93);
            total.add(s);
        }
        assertThat(total.f1()).isGreaterThanOrEqualTo(0.97);
    }

    @Test
    void theRpcStyleSpecGetsNoInventedParameters() throws Exception {
        DiscoveryQuality.Score s = DiscoveryQuality.evaluate(SPECS.resolve("chat.yaml"), 1, 2_000, 1.1, 0.10, true);
        assertThat(s.inventedParams()).isZero();
        assertThat(s.f1()).isEqualTo(1.0);
    }
}

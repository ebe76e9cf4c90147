package io.portcullis.discovery.code;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.discovery.registry.VendorRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DlpSecretDetectorTest {
    @Test
    void theFixtureSecretsAreFoundByTheDlpEngineAndOnlyMasked() throws IOException, URISyntaxException {
        VendorRegistry registry = VendorRegistry.bundled();
        Path fixture = Path.of(getClass().getResource("/fixture-repo").toURI());
        ScanReport report = new RepoScanner(registry, new DlpSecretDetector(registry), ScanOptions.defaults()).scan(fixture);
        assertThat(report.findings()).filteredOn(f -> f.kind() == FindingKind.SECRET).extracting(RepoFinding::file)
                .contains("analytics/etl.py"); // the Stripe live key; AWS's documented EXAMPLE key is the engine's to judge
        String all = report.findings().toString();
        assertThat(all).doesNotContain("AKIAIOSFODNN7EXAMPLE", "sk_live_51HqFakeKeyForFixture00000000");
    }
}

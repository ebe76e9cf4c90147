package io.portcullis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code inbound:} section of an API and the top-level {@code malware:} key, as the loader reads them. */
class InboundConfigTest {
    @TempDir Path dir;

    static final String HEAD = ConfigLoaderTest.HEAD;
    static final String API = """
                  - name: core
                    route: /stripe
                    upstream: https://api.stripe.com
                    allow: [billing]
            """;

    PortcullisConfig load(String yaml) throws Exception {
        Path f = dir.resolve("portcullis.yaml");
        Files.writeString(f, yaml.replace("file:gh.secret", "file:" + dir.resolve("gh.secret")));
        Files.writeString(dir.resolve("gh.secret"), "gh-next-secret\n");
        return ConfigLoader.load(f, java.util.Map.of("GH_SECRET", "gh-current-secret"));
    }

    @Test
    void anApiWithoutInboundGetsTheSafeDefaultsAndNoClamdMeansNoScanner() throws Exception {
        var cfg = load(HEAD + API);
        assertThat(cfg.apis().get(0).inbound()).isEqualTo(InboundPolicy.DEFAULT);
        assertThat(cfg.malware()).isEmpty();
    }

    @Test
    void inboundSectionIsReadIntoTheApi() throws Exception {
        var cfg = load(HEAD + API + """
                        inbound:
                          threats: {action: report}
                          malware: {scan: true, failMode: open}
                          limits: {maxDepth: 10}
                """);
        var in = cfg.apis().get(0).inbound();
        assertThat(in.threats().action()).isEqualTo(InboundPolicy.Action.REPORT);
        assertThat(in.malware().scan()).isTrue();
        assertThat(in.malware().failMode()).isEqualTo(InboundPolicy.FailMode.OPEN);
        assertThat(in.limits().maxDepth()).isEqualTo(10);
    }

    @Test
    void clamdIsReadAsTcpOrUnixSocket() throws Exception {
        var tcp = load("malware:\n  clamd: tcp://127.0.0.1:3310\n  timeout: 5s\n" + HEAD + API).malware().orElseThrow();
        assertThat(tcp.clamd()).isEqualTo(new MalwareScannerConfig.Clamd.Tcp("127.0.0.1", 3310));
        assertThat(tcp.timeout()).isEqualTo(Duration.ofSeconds(5));
        var unix = load("malware:\n  clamd: unix:/run/clamav/clamd.ctl\n" + HEAD + API).malware().orElseThrow();
        assertThat(unix.clamd()).isEqualTo(new MalwareScannerConfig.Clamd.Unix(Path.of("/run/clamav/clamd.ctl")));
        assertThat(unix.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void badClamdAddressesAndUnknownKeysAreRejectedWithAFix() throws Exception {
        for (String bad : new String[] {"clamd: \"127.0.0.1:3310\"", "clamd: \"tcp://127.0.0.1:99999\"", "clamd: \"tcp://:3310\"", "clamd: \"unix:\""}) {
            assertThatThrownBy(() -> load("malware:\n  " + bad + "\n" + HEAD + API))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> {
                        assertThat(p.message()).contains("clamd");
                        assertThat(p.fix()).contains("tcp://127.0.0.1:3310");
                        assertThat(p.line()).isEqualTo(2);
                    }));
        }
        assertThatThrownBy(() -> load("malware:\n  clamd: tcp://127.0.0.1:3310\n  timout: 5s\n" + HEAD + API))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p.message()).contains("timout")));
        assertThatThrownBy(() -> load("malware: {}\n" + HEAD + API))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p.fix()).contains("clamd")));
    }

    static final String HOOK = """
            webhooks:
              - name: gh
                vendor: stripe
                route: /hooks/gh
                kind: github
                secrets: [env:GH_SECRET, "file:gh.secret"]
                forwardTo: http://ci.internal:8080/github
                maxBody: 64KiB
            """;

    @Test
    void aWebhookIsReadWithItsSecretsAsReferencesNeverValues() throws Exception {
        var w = load(HEAD + API + HOOK).webhooks().getFirst();
        assertThat(w.kind()).isEqualTo("github");
        assertThat(w.secrets()).extracting(io.portcullis.core.secret.SecretRef::text).containsExactly("env:GH_SECRET", "file:" + dir.resolve("gh.secret"));
        assertThat(w.forwardTo().toString()).isEqualTo("http://ci.internal:8080/github");
        assertThat(w.maxBody()).isEqualTo(64 * 1024);
        assertThat(w.inbound()).isEqualTo(InboundPolicy.WEBHOOK_DEFAULT);
    }

    @Test
    void webhookMistakesAreReportedWithAFix() throws Exception {
        String[][] cases = {
                {"vendor: stripe", "vendor: nobody", "unknown vendor 'nobody'"},
                {"kind: github", "kind: gitlab", "unknown webhook kind"},
                {"route: /hooks/gh", "route: /stripe", "duplicate route"},
                {"secrets: [env:GH_SECRET, \"file:gh.secret\"]", "secrets: [whsec_plaintext]", "secret"},
                {"kind: github", "kind: twilio", "twilio webhook needs publicUrl"},
        };
        for (String[] c : cases) {
            String yaml = HEAD + API + HOOK.replace(c[0], c[1]);
            assertThatThrownBy(() -> load(yaml)).as(c[1]).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> {
                        assertThat(p.message()).contains(c[2]);
                        assertThat(p.fix()).isNotBlank();
                        assertThat(p.message() + p.fix()).doesNotContain("whsec_plaintext");
                    }));
        }
    }
}

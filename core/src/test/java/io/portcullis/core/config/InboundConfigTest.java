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

    @Test
    void inboundAndDataPolicyCanBeSwitchedOffPerApi() throws Exception {
        var api = load(HEAD + API + "        inbound: off\n        dataPolicy: off\n").apis().get(0);
        assertThat(api.inbound()).isEqualTo(InboundPolicy.OFF);
        assertThat(api.inbound().off()).isTrue();
        assertThat(api.dataPolicy()).contains(DataPolicy.OFF);
        assertThat(api.dataPolicy().orElseThrow().off()).isTrue();
        var threatsOnly = load(HEAD + API + "        inbound: {threats: {action: off}, limits: {action: off}}\n").apis().get(0).inbound();
        assertThat(threatsOnly.threats().action()).isEqualTo(InboundPolicy.Action.OFF);
        assertThat(threatsOnly.off()).isTrue();
        assertThat(InboundPolicy.DEFAULT.off()).isFalse();
        assertThat(DataPolicy.ALERT_ON_EVERYTHING.off()).isFalse();
    }

    @Test
    void anythingButOffOrAMappingIsRejectedAtItsLineWithTheFix() {
        assertThatThrownBy(() -> load(HEAD + API + "        inbound: none\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> {
                    assertThat(p.message()).contains("inbound must be a mapping or 'off'");
                    assertThat(p.fix()).contains("inbound: off");
                    assertThat(p.line()).isEqualTo(HEAD.split("\n").length + API.split("\n").length + 1);
                }));
        assertThatThrownBy(() -> load(HEAD + API + "        dataPolicy: skip\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> {
                    assertThat(p.message()).contains("dataPolicy must be a mapping or 'off'");
                    assertThat(p.column()).isEqualTo(21);
                }));
    }

    @Test
    void offIsNotAnActionForOneDataClass() {
        assertThatThrownBy(() -> load(HEAD + API + "        dataPolicy:\n          actions: {PII: off}\n"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> {
                    assertThat(p.message()).contains("'off' applies to a whole API");
                    assertThat(p.fix()).contains("dataPolicy: off");
                }));
    }

    @Test
    void aWebhookSchemaNamesTheSpecAndWhichWebhooksOrOperationDescribeTheDelivery() throws Exception {
        Files.writeString(dir.resolve("hooks.yaml"), "openapi: 3.1.0\n");
        var w = load(HEAD + API + HOOK + """
                    inbound:
                      schema: {spec: [hooks.yaml], webhooks: [invoice.paid, customer.deleted], unknownFields: reject}
                """).webhooks().getFirst();
        var s = w.inbound().schema();
        assertThat(s.spec()).containsExactly(dir.resolve("hooks.yaml").toAbsolutePath().normalize());
        assertThat(s.mode()).isEqualTo(InboundPolicy.Mode.ENFORCE);
        assertThat(s.webhooks()).containsExactly("invoice.paid", "customer.deleted");
        assertThat(s.operation()).isEmpty();
        assertThat(w.inbound().threats().action()).as("threats still block on a webhook with an inbound section").isEqualTo(InboundPolicy.Action.BLOCK);
        var op = load(HEAD + API + HOOK + """
                    inbound:
                      schema: {spec: [hooks.yaml], operation: post /events, mode: report}
                """).webhooks().getFirst().inbound().schema();
        assertThat(op.operation()).contains("POST /events");
        assertThat(op.mode()).isEqualTo(InboundPolicy.Mode.REPORT);
    }

    @Test
    void webhookSchemaKeysAreCheckedStrictly() throws Exception {
        Files.writeString(dir.resolve("hooks.yaml"), "openapi: 3.1.0\n");
        String[][] cases = {
                {"{spec: [hooks.yaml], validateRequests: true}", "validateRequests does not apply to a webhook"},
                {"{spec: [hooks.yaml], webhooks: [a], operation: POST /x}", "either webhooks: or operation:"},
                {"{spec: [hooks.yaml], operation: /events}", "is not 'METHOD /path'"},
                {"{spec: [hooks.yaml], operation: POST events}", "is not 'METHOD /path'"},
                {"{spec: [hooks.yaml], webhooks: [a, a]}", "listed twice"},
                {"{spec: [missing.yaml]}", "not found"},
                {"{spec: [hooks.yaml], event: a}", "event"},
        };
        for (String[] c : cases) {
            String yaml = HEAD + API + HOOK + "    inbound:\n      schema: " + c[0] + "\n";
            assertThatThrownBy(() -> load(yaml)).as(c[0]).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> {
                        assertThat(p.message()).contains(c[1]);
                        assertThat(p.line()).isGreaterThan(0);
                        assertThat(p.fix()).isNotBlank();
                    }));
        }
        // the webhook selection keys do not exist for an API's response contract
        String api = HEAD + API + "        inbound:\n          schema: {spec: [hooks.yaml], webhooks: [a]}\n";
        assertThatThrownBy(() -> load(api)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anySatisfy(p -> assertThat(p.message()).contains("webhooks")));
    }
}

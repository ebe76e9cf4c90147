package io.portcullis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhook signing secrets are resolved and checked for their scheme's form when the configuration loads: a missing or
 * unusable secret is a configuration error at the reference's line and column, with a fix, never with the value.
 */
class WebhookSecretConfigTest {
    @TempDir Path dir;

    static final String PRELUDE = InboundConfigTest.HEAD + InboundConfigTest.API;

    static String hook(String kind, String secrets) {
        return """
                webhooks:
                  - name: events
                    vendor: stripe
                    route: /hooks/events
                    kind: %s
                    secrets: [%s]
                    forwardTo: http://billing.internal:8080/events
                """.formatted(kind, secrets);
    }

    PortcullisConfig load(String yaml, Map<String, String> env) throws Exception {
        Path f = dir.resolve("portcullis.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f, env);
    }

    /** The one problem of loading {@code kind} with {@code SECRET=value}; asserts it sits at the reference and hides the value. */
    ConfigProblem problem(String kind, String value) throws Exception {
        String yaml = PRELUDE + hook(kind, "env:SECRET");
        var e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(() -> load(yaml, Map.of("SECRET", value)));
        assertThat(e).as(kind + " secret of length " + value.length()).isNotNull();
        assertThat(e.problems()).hasSize(1);
        var p = e.problems().getFirst();
        assertAtReference(yaml, p, "env:SECRET");
        assertThat(p.fix()).isNotBlank();
        if (value.strip().length() >= 8) assertThat(p.render()).doesNotContain(value.strip());
        return p;
    }

    static void assertAtReference(String yaml, ConfigProblem p, String ref) {
        List<String> lines = yaml.lines().toList();
        int line = 0;
        while (!lines.get(line).contains("secrets: [")) line++;
        assertThat(p.line()).as("line").isEqualTo(line + 1);
        assertThat(p.column()).as("column").isEqualTo(lines.get(line).indexOf(ref) + 1);
        assertThat(p.file()).endsWith("portcullis.yaml");
    }

    void loads(String kind, String value) throws Exception {
        var cfg = load(PRELUDE + hook(kind, "env:SECRET"), Map.of("SECRET", value));
        assertThat(cfg.webhooks()).singleElement().extracting(WebhookRouteConfig::kind).isEqualTo(kind);
    }

    static String b64(int bytes) {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) 0x5a);
        return Base64.getEncoder().encodeToString(b);
    }

    @Test
    void aMissingEnvironmentVariableIsAnErrorAtTheReference() throws Exception {
        String yaml = PRELUDE + hook("github", "env:GH_HOOK_SECRET");
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class).satisfies(e -> {
            var p = ((ConfigException) e).problems().getFirst();
            assertThat(((ConfigException) e).problems()).hasSize(1);
            assertAtReference(yaml, p, "env:GH_HOOK_SECRET");
            assertThat(p.message()).contains("webhook 'events'").contains("GH_HOOK_SECRET").contains("not set");
            assertThat(p.fix()).isNotBlank();
        });
    }

    @Test
    void aMissingFileAndAStoreReferenceWithoutAStoreAreErrors() throws Exception {
        Path missing = dir.resolve("nope.secret");
        String yaml = PRELUDE + hook("github", "\"file:" + missing + "\", store:github/hook");
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class).satisfies(e -> {
            var ps = ((ConfigException) e).problems();
            assertThat(ps).hasSize(2);
            assertThat(ps.get(0).message()).contains("file does not exist");
            assertThat(ps.get(1).message()).contains("no secret store is configured");
            assertThat(ps.get(1).line()).isEqualTo(ps.get(0).line());
            assertThat(ps.get(1).column()).isGreaterThan(ps.get(0).column());
        });
    }

    @Test
    void aFileSecretWithAnExtraLineEndIsRefusedButOneTrailingLineEndIsFine() throws Exception {
        Path ok = dir.resolve("ok.secret");
        Files.writeString(ok, "gh-hook-secret\r\n");
        assertThat(load(PRELUDE + hook("github", "\"file:" + ok + "\""), Map.of()).webhooks()).hasSize(1);
        Path crlf = dir.resolve("two-line-ends.secret");
        Files.writeString(crlf, "gh-hook-secret\n\n");
        String yaml = PRELUDE + hook("github", "\"file:" + crlf + "\"");
        assertThatThrownBy(() -> load(yaml, Map.of())).isInstanceOf(ConfigException.class).satisfies(e -> {
            var p = ((ConfigException) e).problems().getFirst();
            assertThat(p.message()).contains("control character").doesNotContain("gh-hook-secret");
        });
    }

    @Test
    void surroundingWhitespaceIsRefusedForEveryKind() throws Exception {
        for (String kind : List.of("github", "slack", "shopify", "stripe")) {
            assertThat(problem(kind, " whsec_abcdefgh").message()).contains("whitespace");
            assertThat(problem(kind, "whsec_abcdefgh ").message()).contains("whitespace");
        }
        loads("github", "a secret phrase with inner spaces");
    }

    @Test
    void stripeNeedsAnEndpointSigningSecretNotAnApiKey() throws Exception {
        loads("stripe", "whsec_test_stripe_abc123");
        assertThat(problem("stripe", "sk_live_51Habcdefghijklmnop").message()).contains("Stripe API key");
        assertThat(problem("stripe", "rk_test_51Habcdefghijkl").message()).contains("Stripe API key");
        assertThat(problem("stripe", "just-some-shared-text").message()).contains("starts with whsec_");
        assertThat(problem("stripe", "whsec_").message()).contains("starts with whsec_");
    }

    @Test
    void standardWebhooksHmacSecretsAreBase64Of24To64Bytes() throws Exception {
        loads("standard-webhooks", "whsec_" + b64(24));
        loads("standard-webhooks", "whsec_" + b64(64));
        loads("standard-webhooks", b64(32)); // the prefix is optional, as in the reference libraries
        // the Standard Webhooks repository's test secret
        loads("standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThat(problem("standard-webhooks", "whsec_" + b64(23)).message()).contains("23 bytes").contains("24 to 64");
        assertThat(problem("standard-webhooks", "whsec_" + b64(65)).message()).contains("65 bytes");
        assertThat(problem("standard-webhooks", "whsec_not*base64!").message()).contains("base64");
    }

    @Test
    void standardWebhooksV1aNeedsAnEd25519PublicKeyNotTheSigningKey() throws Exception {
        var kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = kp.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        loads("standard-webhooks", "whpk_" + Base64.getEncoder().encodeToString(raw));
        assertThat(problem("standard-webhooks", "whpk_" + Base64.getEncoder().encodeToString(Arrays.copyOf(raw, 31))).message())
                .contains("32-byte ed25519 public key");
        assertThat(problem("standard-webhooks", "whpk_" + b64(33)).message()).contains("32-byte ed25519 public key");
        assertThat(problem("standard-webhooks", "whsk_" + b64(32)).message()).contains("private signing key");
    }

    @Test
    void everyBadSecretIsReportedInOneLoad() throws Exception {
        String yaml = PRELUDE + hook("standard-webhooks", "env:A, env:B, env:C");
        assertThatThrownBy(() -> load(yaml, Map.of("A", "whsec_" + b64(32), "B", "whsk_" + b64(32))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).extracting(ConfigProblem::message)
                        .satisfiesExactly(m -> assertThat(m).contains("private signing key"), m -> assertThat(m).contains("env:C").contains("not set")));
    }
}

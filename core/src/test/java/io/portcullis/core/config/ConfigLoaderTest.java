package io.portcullis.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path dir;

    static final String HEAD = """
            apps:
              - name: billing
                apiKeys: [sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08]
            vendors:
              - name: stripe
                owner: pay@example.com
                purpose: payments
                apis:
            """;

    List<ConfigProblem> problemsOf(String yaml) throws Exception {
        Path f = dir.resolve("portcullis.yaml");
        Files.writeString(f, yaml);
        try {
            ConfigLoader.load(f);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected the configuration to be rejected");
    }

    @Test
    void exampleConfigurationLoads() throws Exception {
        var cfg = ConfigLoader.load(Path.of("../examples/portcullis.yaml"), java.util.Map.of("STRIPE_SECRET_KEY", "sk_test_example",
                "STRIPE_WEBHOOK_SECRET", "whsec_example_signing_secret"));
        assertThat(cfg.apps()).containsKeys("billing", "notifications", "web-frontend");
        assertThat(cfg.apis()).extracting(ApiConfig::route).containsExactly("/stripe", "/twilio", "/sendgrid", "/segment");
        var stripe = cfg.apis().get(0);
        assertThat(stripe.upstream().toString()).isEqualTo("https://api.stripe.com");
        assertThat(stripe.rateLimit()).get().extracting(ApiConfig.RateLimit::burst).isEqualTo(200L);
        assertThat(stripe.limits().maxRequestBodyBytes()).isEqualTo(1L << 20);
        assertThat(cfg.apis().get(2).tls().minVersion()).isEqualTo("TLSv1.3");
        assertThat(cfg.forwarded()).isEqualTo(ForwardedPolicy.STRIP);
        assertThat(stripe.credential()).isPresent();
        assertThat(stripe.dataPolicy()).isPresent();
        assertThat(cfg.apis().get(3).dataPolicy()).isPresent();
        assertThat(stripe.inbound().malware().scan()).isTrue();
        assertThat(cfg.malware()).isPresent();
        assertThat(cfg.webhooks()).singleElement().satisfies(w -> {
            assertThat(w.route()).isEqualTo("/hooks/stripe");
            assertThat(w.vendor()).isEqualTo("stripe");
        });
    }

    @Test
    void unknownKeyIsRejectedWithLocationAndSuggestion() throws Exception {
        var p = problemsOf(HEAD + """
                      - name: core
                        route: /stripe
                        upstrem: https://api.stripe.com
                        allow: [billing]
                """);
        assertThat(p).anySatisfy(x -> {
            assertThat(x.message()).contains("unknown key 'upstrem'");
            assertThat(x.fix()).contains("did you mean 'upstream'");
            assertThat(x.line()).isEqualTo(11);
            assertThat(x.column()).isEqualTo(9);
            assertThat(x.render()).startsWith(dir.resolve("portcullis.yaml") + ":11:9: ");
        });
    }

    @Test
    void plainHttpUpstreamNeedsExplicitOptIn() throws Exception {
        var p = problemsOf(HEAD + """
                      - name: core
                        route: /stripe
                        upstream: http://api.stripe.com
                        allow: [billing]
                """);
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.message()).contains("plain http://");
            assertThat(x.fix()).contains("allowInsecureHttp: true");
            assertThat(x.line()).isEqualTo(11);
            assertThat(x.column()).isEqualTo(19);
        });
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, HEAD + """
                      - name: core
                        route: /stripe
                        upstream: http://127.0.0.1:9999
                        allowInsecureHttp: true
                        allow: [billing]
                """);
        assertThat(ConfigLoader.load(f).apis().get(0).allowInsecureHttp()).isTrue();
    }

    @Test
    void danglingAppReferenceAndDuplicateRouteAreReported() throws Exception {
        var p = problemsOf(HEAD + """
                      - name: core
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow: [biling]
                      - name: other
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow: [billing]
                """);
        assertThat(p).anySatisfy(x -> {
            assertThat(x.message()).contains("unknown app 'biling'");
            assertThat(x.fix()).contains("billing");
            assertThat(x.line()).isEqualTo(12);
        });
        assertThat(p).anySatisfy(x -> {
            assertThat(x.message()).contains("duplicate route '/stripe'").contains("line 9");
            assertThat(x.line()).isEqualTo(14);
        });
    }

    @Test
    void wrongTypesAreReported() throws Exception {
        var p = problemsOf(HEAD + """
                      - name: core
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow: [billing]
                        rateLimit: {requests: lots, per: 1s}
                        limits: {connectTimeout: 5 seconds, maxRequestBody: [1]}
                """);
        assertThat(p).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m).contains("expected a whole number but found 'lots'"))
                .anySatisfy(m -> assertThat(m).contains("expected a duration but found '5 seconds'"))
                .anySatisfy(m -> assertThat(m).contains("expected a single value but found a list"));
    }

    @Test
    void plainApiKeyIsRejectedWithoutEchoingIt() throws Exception {
        var p = problemsOf("""
                apps:
                  - name: billing
                    apiKeys: [sk_live_do_not_echo_me]
                vendors: []
                """);
        assertThat(p).anySatisfy(x -> assertThat(x.message()).contains("SHA-256 digests"));
        assertThat(p).allSatisfy(x -> assertThat(x.render()).doesNotContain("sk_live_do_not_echo_me"));
    }

    @Test
    void badPinsAndTlsVersionsAreRejected() throws Exception {
        var p = problemsOf(HEAD + """
                      - name: core
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow: [billing]
                        tls:
                          minVersion: TLSv1.1
                          pins: [sha256/tooShort, sha1/AAAA]
                """);
        assertThat(p).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).contains("minVersion 'TLSv1.1'"))
                .anySatisfy(m -> assertThat(m).contains("'sha256/tooShort' is not a SHA-256 SPKI pin"))
                .anySatisfy(m -> assertThat(m).contains("'sha1/AAAA'"));
    }

    @Test
    void yamlSyntaxErrorHasLocation() throws Exception {
        var p = problemsOf("apps:\n  - name: [unclosed\n");
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.message()).startsWith("YAML syntax");
            assertThat(x.line()).isGreaterThan(0);
        });
    }

    @Test
    void duplicateKeysAndNamesAreRejected() throws Exception {
        var p = problemsOf("""
                apps:
                  - name: billing
                    apiKeys: [sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08]
                  - name: billing
                    apiKeys: [sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08]
                vendors: []
                vendors: []
                """);
        assertThat(p).extracting(ConfigProblem::message)
                .anySatisfy(m -> assertThat(m).containsAnyOf("duplicate key 'vendors'", "found duplicate key vendors"))
                .noneSatisfy(m -> assertThat(m).isNull());
    }

    @Test
    void missingFilesAreReported() throws Exception {
        var p = problemsOf(HEAD + """
                      - name: core
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow: [billing]
                        tls:
                          caBundle: certs/missing.pem
                """);
        assertThat(p).singleElement().satisfies(x -> assertThat(x.message()).contains("'certs/missing.pem' does not exist"));
    }

    @Test
    void allowRulesCarryMethodsAndPaths() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, HEAD + """
                      - name: core
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow:
                          - {app: billing, methods: [get, post], paths: [/v1/charges/**]}
                """);
        var rule = ConfigLoader.load(f).apis().get(0).allow().get(0);
        assertThat(rule.methods()).containsExactly("GET", "POST");
        assertThat(rule.paths()).containsExactly("/v1/charges/**");
    }

    @Test
    void credentialSecretsMustResolveAtLoadAndErrorsNameTheReferenceNotTheValue() throws Exception {
        Path f = dir.resolve("cred.yaml");
        Files.writeString(f, HEAD + """
                      - name: core
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow: [billing]
                        credential: {kind: bearer, token: env:STRIPE_TOKEN}
                """);
        assertThat(ConfigLoader.load(f, java.util.Map.of("STRIPE_TOKEN", "sk_live_value_never_echoed")).apis().get(0).credential()).isPresent();
        try {
            ConfigLoader.load(f, java.util.Map.of());
            throw new AssertionError("expected a missing secret to fail the load");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("STRIPE_TOKEN").doesNotContain("sk_live_value_never_echoed");
            assertThat(e.problems().get(0).line()).isEqualTo(13);
        }
    }

    @Test
    void storeReferencesWithoutAMasterKeyAreAConfigError() throws Exception {
        Path f = dir.resolve("store.yaml");
        Files.writeString(f, "secretStore: secrets.pcs\n" + HEAD + """
                      - name: core
                        route: /stripe
                        upstream: https://api.stripe.com
                        allow: [billing]
                        credential: {kind: header, header: Authorization, value: store:stripe/api-key}
                """);
        try {
            ConfigLoader.load(f, java.util.Map.of());
            throw new AssertionError("expected the load to fail");
        } catch (ConfigException e) {
            assertThat(e.getMessage()).contains("PORTCULLIS_MASTER_KEY");
        }
    }
}

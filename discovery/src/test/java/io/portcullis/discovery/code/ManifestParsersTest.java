package io.portcullis.discovery.code;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.discovery.registry.Ecosystem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParsersTest {
    static ManifestContents parse(String fileName, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return ManifestParser.forFileName(fileName).parse(b, b.length);
    }

    static List<String> names(ManifestContents c) {
        return c.dependencies().stream().map(d -> d.name() + "@" + d.version() + ":" + d.line()).toList();
    }

    @Test
    void pomWithExternalEntityIsRefusedNotResolved() {
        ManifestContents c = parse("pom.xml", """
                <?xml version="1.0"?>
                <!DOCTYPE project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <project><dependencies><dependency><groupId>&xxe;</groupId><artifactId>a</artifactId></dependency></dependencies></project>
                """);
        assertThat(c.dependencies()).noneMatch(d -> d.name().contains("root:"));
        assertThat(c.problems()).hasSize(1);
    }

    @Test
    void packageLockV1NestedDependenciesAreRead() {
        ManifestContents c = parse("package-lock.json", """
                {"lockfileVersion": 1, "dependencies": {
                  "twilio": {"version": "4.0.0", "dependencies": {"axios": {"version": "1.6.0"}}},
                  "@slack/web-api": {"version": "6.9.0"}
                }}
                """);
        assertThat(names(c)).containsExactly("axios@1.6.0:2", "twilio@4.0.0:2", "@slack/web-api@6.9.0:3");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void yarnBerryEntriesAreRead() {
        ManifestContents c = parse("yarn.lock", """
                __metadata:
                  version: 6

                "stripe@npm:^14.0.0, stripe@npm:^14.1.0":
                  version: 14.25.0
                  resolution: "stripe@npm:14.25.0"
                """);
        assertThat(names(c)).containsExactly("stripe@14.25.0:4");
    }

    @Test
    void pnpmV5AndV6KeysAreRead() {
        ManifestContents c = parse("pnpm-lock.yaml", """
                lockfileVersion: 5.4
                packages:
                  /@sentry/node/7.1.0:
                    resolution: {integrity: x}
                  /openai@4.20.0(encoding@0.1.13):
                    resolution: {integrity: y}
                """);
        assertThat(names(c)).containsExactly("@sentry/node@7.1.0:3", "openai@4.20.0:5");
    }

    @Test
    void notAPnpmLockIsAProblem() {
        assertThat(parse("pnpm-lock.yaml", "hello: world\n").problems()).hasSize(1);
    }

    @Test
    void goModUnknownDirectiveIsAProblemButRequiresStillCount() {
        ManifestContents c = parse("go.mod", "module x\nfrobnicate y\nrequire github.com/stripe/stripe-go/v76 v76.0.0\n");
        assertThat(names(c)).containsExactly("github.com/stripe/stripe-go/v76@v76.0.0:3");
        assertThat(c.problems()).containsExactly("line 2: unknown go.mod directive 'frobnicate'");
    }

    @Test
    void pyprojectOptionalDependenciesAndPoetryGroupsAreRead() {
        ManifestContents c = parse("pyproject.toml", """
                [project.optional-dependencies]
                llm = ["openai>=1", 'cohere']
                [tool.poetry.group.dev.dependencies]
                pytest = "^8"
                """);
        assertThat(names(c)).containsExactly("openai@>=1:2", "cohere@:2", "pytest@^8:4");
        assertThat(c.dependencies()).allMatch(d -> d.ecosystem() == Ecosystem.PYPI);
    }

    @Test
    void gemfileLockWithoutSpecsIsAProblem() {
        assertThat(parse("Gemfile.lock", "source 'https://rubygems.org'\ngem 'stripe'\n").problems()).hasSize(1);
    }

    @Test
    void requirementsWithUrlFormAndMarkersAreRead() {
        ManifestContents c = parse("requirements-dev.txt", "stripe @ https://example.org/stripe.whl\nTwilio_SDK[x] ~= 1.0 ; os_name == 'nt'\n");
        assertThat(names(c)).containsExactly("stripe@@ https://example.org/stripe.whl:1", "Twilio_SDK@~= 1.0:2");
    }

    @Test
    void gradleVersionCatalogLibrariesAreRead() {
        ManifestContents c = parse("libs.versions.toml", """
                [versions]
                stripe = "26.1.0"
                [libraries]
                stripe = { module = "com.stripe:stripe-java", version.ref = "stripe" }
                twilio = "com.twilio.sdk:twilio:10.1.0"
                okhttp = { group = "com.squareup.okhttp3", name = "okhttp", version = "4.12.0" }
                [plugins]
                kotlin = { id = "org.jetbrains.kotlin.jvm", version = "2.0.0" }
                """);
        assertThat(names(c)).containsExactly("com.stripe:stripe-java@stripe:4", "com.twilio.sdk:twilio@10.1.0:5", "com.squareup.okhttp3:okhttp@4.12.0:6");
    }

    @Test
    void problemsNeverEchoTheContentThatCausedThem() {
        String token = "sk_live_" + "Q7".repeat(12);
        ManifestContents c = parse("package.json", "{\"dependencies\": {\"stripe\": " + token + "}}");
        assertThat(c.problems()).singleElement().asString().startsWith("line 1: invalid JSON").doesNotContain(token).doesNotContain("Q7Q7");
        ManifestContents p = parse("pyproject.toml", "[project]\ndependencies = [\"!" + token + "\"]\n");
        assertThat(p.problems()).containsExactly("line 2: not a requirement");
    }

    @Test
    void unknownFileNamesAreNotManifests() {
        assertThat(ManifestParser.forFileName("package.json.bak")).isNull();
        assertThat(ManifestParser.forFileName("Gemfile")).isNull();
    }
}

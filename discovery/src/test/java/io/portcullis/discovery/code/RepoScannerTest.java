package io.portcullis.discovery.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.discovery.registry.VendorRegistry;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoScannerTest {
    static VendorRegistry registry;
    static Path fixture;

    @BeforeAll
    static void load() throws URISyntaxException {
        registry = VendorRegistry.bundled();
        fixture = Path.of(RepoScannerTest.class.getResource("/fixture-repo").toURI());
    }

    static RepoScanner scanner(ScanOptions options) {
        return new RepoScanner(registry, new PlaceholderSecretDetector(), options);
    }

    static List<String> render(ScanReport r) {
        return r.findings().stream()
                .map(f -> f.kind().wireName() + " " + f.vendor() + " " + f.file() + ":" + f.line() + " " + f.detail() + (f.occurrences() > 1 ? " x" + f.occurrences() : ""))
                .toList();
    }

    /** Every expected finding was checked by hand against the fixture files; nothing else may be reported. */
    static final List<String> EXPECTED = List.of(
            "sdk mixpanel analytics/etl.py:1 import mixpanel",
            "sdk aws analytics/etl.py:2 import boto3",
            "sdk anthropic analytics/etl.py:3 from anthropic import",
            "endpoint anthropic analytics/etl.py:6 https://api.anthropic.com/v1/messages",
            "endpoint aws analytics/etl.py:7 acme-reports.s3.amazonaws.com",
            "secret stripe analytics/etl.py:8 stripe-secret-key sk_l******** (37 chars)",
            "dependency mixpanel analytics/poetry.lock:4 pypi mixpanel 4.10.1",
            "dependency anthropic analytics/pyproject.toml:5 pypi anthropic >=0.30",
            "dependency mixpanel analytics/pyproject.toml:11 pypi mixpanel ^4.10",
            "dependency aws analytics/requirements.txt:4 pypi boto3 ==1.34.0",
            "dependency segment analytics/requirements.txt:5 pypi segment-analytics-python >=2.2",
            "dependency openai analytics/requirements.txt:7 pypi openai >=1.0",
            "dependency stripe billing-service/pom.xml:9 maven com.stripe:stripe-java 26.1.0",
            "dependency twilio billing-service/pom.xml:14 maven com.twilio.sdk:twilio ${twilio.version}",
            "sdk stripe billing-service/src/main/java/com/acme/billing/ChargeService.java:3 import com.stripe.Stripe x2",
            "endpoint stripe billing-service/src/main/java/com/acme/billing/ChargeService.java:9 https://api.stripe.com/v1/charges",
            "endpoint null billing-service/src/main/java/com/acme/billing/ChargeService.java:11 https://api.partner-logistics.io/v2/shipments",
            "secret aws billing-service/src/main/java/com/acme/billing/ChargeService.java:12 aws-access-key-id AKIA******** (20 chars)",
            "endpoint twilio billing-service/src/main/resources/application.yml:2 https://api.twilio.com/2010-04-01",
            "endpoint sendgrid billing-service/src/main/resources/application.yml:4 api.sendgrid.com",
            "endpoint null billing-service/src/main/resources/application.yml:8 https://api.acme-partner.net/v1/orders",
            "dependency twilio broken/package.json:1 npm twilio ^5.0.0",
            "endpoint twilio docs/README.md:4 https://api.twilio.com/2010-04-01",
            "sdk twilio dotnet/Notifier.cs:2 using Twilio x2",
            "dependency stripe dotnet/Payments.csproj:6 nuget Stripe.net 43.0.0",
            "dependency twilio dotnet/Payments.csproj:8 nuget Twilio 7.0.0",
            "dependency stripe gateway-go/go.mod:6 go github.com/stripe/stripe-go/v76 v76.25.0",
            "dependency aws gateway-go/go.mod:7 go github.com/aws/aws-sdk-go-v2 v1.24.0",
            "dependency slack gateway-go/go.mod:11 go github.com/slack-go/slack v0.12.3",
            "sdk stripe gateway-go/main.go:5 import \"github.com/stripe/stripe-go/v76\"",
            "sdk aws gateway-go/main.go:6 import \"github.com/aws/aws-sdk-go-v2/service/s3\"",
            "endpoint github gateway-go/main.go:9 https://api.github.com/repos/acme/gateway",
            "dependency firebase mobile/build.gradle.kts:6 maven com.google.firebase:firebase-messaging 23.4.0",
            "dependency algolia mobile/build.gradle.kts:9 maven com.algolia:algoliasearch-client-kotlin 3.0.0",
            "dependency supabase mobile/pnpm-lock.yaml:12 npm @supabase/supabase-js 2.39.0",
            "dependency stripe mobile/pnpm-lock.yaml:18 npm stripe 14.25.0",
            "dependency stripe php-app/composer.json:5 composer stripe/stripe-php ^13.0",
            "dependency mailgun php-app/composer.json:9 composer mailgun/mailgun-php ^4.2",
            "sdk mailgun php-app/src/Mailer.php:4 use Mailgun\\Mailgun",
            "sdk stripe php-app/src/Mailer.php:5 use Stripe\\StripeClient",
            "endpoint mailgun php-app/src/Mailer.php:9 https://api.mailgun.net/v3",
            "dependency stripe ruby-app/Gemfile.lock:5 rubygems stripe 10.5.0",
            "dependency twilio ruby-app/Gemfile.lock:6 rubygems twilio-ruby 7.0.0",
            "sdk stripe ruby-app/app/payments.rb:1 require 'stripe'",
            "sdk twilio ruby-app/app/payments.rb:2 require 'twilio-ruby'",
            "dependency stripe web/package-lock.json:11 npm stripe 14.25.0",
            "dependency sendgrid web/package-lock.json:15 npm @sendgrid/mail 8.1.3",
            "dependency sendgrid web/package-lock.json:18 npm @sendgrid/client 8.1.3",
            "dependency stripe web/package.json:6 npm stripe ^14.0.0",
            "dependency sendgrid web/package.json:7 npm @sendgrid/mail ^8.1.0",
            "dependency sentry web/package.json:11 npm @sentry/node ^7.100.0",
            "sdk slack web/src/notify.ts:1 import '@slack/web-api'",
            "sdk sentry web/src/notify.ts:2 import '@sentry/node'",
            "sdk openai web/src/notify.ts:6 import 'openai'",
            "sdk sendgrid web/src/notify.ts:9 require('@sendgrid/mail')",
            "endpoint slack web/src/notify.ts:10 https://hooks.slack.com/services/T00000000/B00000000/{redacted}",
            "endpoint openai web/src/notify.ts:11 https://api.openai.com/v1/chat/completions",
            "dependency slack web/yarn.lock:5 npm @slack/web-api 7.3.1",
            "dependency stripe web/yarn.lock:12 npm stripe 14.25.0");

    @Test
    void findsExactlyTheEndpointsSdksDependenciesAndSecretsOfTheFixtureRepo() throws IOException {
        ScanReport report = scanner(ScanOptions.defaults()).scan(fixture);
        assertThat(render(report)).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void countsVendoredBinaryAndBrokenManifestsWithoutFailing() throws IOException {
        ScanReport report = scanner(ScanOptions.defaults()).scan(fixture);
        ScanSummary s = report.summary();
        assertThat(s.skipped()).containsEntry(SkipReason.VENDORED_DIR, 3L).containsEntry(SkipReason.BINARY, 2L)
                .containsEntry(SkipReason.TOO_LARGE, 0L);
        assertThat(s.filesScanned()).isEqualTo(24);
        assertThat(s.manifestsRead()).isEqualTo(15);
        assertThat(s.manifestsWithProblems()).isEqualTo(3);
        assertThat(s.errors()).isZero();
        assertThat(report.problems()).hasSize(3).anySatisfy(p -> assertThat(p).startsWith("broken/pom.xml: line 6: not well-formed XML"))
                .anySatisfy(p -> assertThat(p).startsWith("broken/package.json: line 1: invalid JSON"))
                .anySatisfy(p -> assertThat(p).startsWith("analytics/requirements.txt: line 8: not a requirement"));
        assertThat(s.findings()).containsEntry(FindingKind.ENDPOINT, 12L).containsEntry(FindingKind.SDK, 15L)
                .containsEntry(FindingKind.DEPENDENCY, 30L).containsEntry(FindingKind.SECRET, 2L);
        assertThat(s.line()).contains("vendored_dir=3", "binary=2", "secret=2", "15 read, 3 with problems");
    }

    @Test
    void neverOutputsSecretsQueryStringsOrUrlCredentials() throws IOException {
        ScanReport report = scanner(ScanOptions.defaults()).scan(fixture);
        String all = String.join("\n", render(report)) + String.join("\n", report.problems()) + report.summary().line();
        assertThat(all).doesNotContain("AKIAIOSFODNN7EXAMPLE", "sk_live_51Hq", "hunter2", "svc:", "abc123",
                "abcdefghijklmnopqrstuvwx", "token=");
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() throws IOException {
        assertThat(render(scanner(ScanOptions.defaults().withThreads(1)).scan(fixture)))
                .containsExactlyElementsOf(render(scanner(ScanOptions.defaults().withThreads(7)).scan(fixture)));
    }

    @Test
    void skipsFilesOverTheCapButScansAFileExactlyAtTheCap(@TempDir Path dir) throws IOException {
        String line = "const u = 'https://api.stripe.com/v1/refunds';\n";
        int cap = 64 * 1024;
        byte[] atCap = padded(line, cap);
        Files.write(dir.resolve("at-cap.js"), atCap);
        Files.write(dir.resolve("over-cap.js"), padded(line, cap + 1));
        ScanReport report = scanner(ScanOptions.defaults().withMaxFileBytes(cap)).scan(dir);
        assertThat(render(report)).containsExactly("endpoint stripe at-cap.js:1 https://api.stripe.com/v1/refunds");
        assertThat(report.summary().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L);
    }

    @Test
    void skipsHugeFilesSymlinksAndFifosWithoutFollowingOrBlocking(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("repo");
        copyTree(fixture, repo);
        Files.createDirectories(repo.resolve("data"));
        Files.write(repo.resolve("data/huge.json"), padded("{\"url\": \"https://api.openai.com/v1/files\"}\n", 5 << 20));
        Path outside = Files.writeString(dir.resolve("outside.py"), "import stripe\n");
        Files.createSymbolicLink(repo.resolve("linked.py"), outside);
        Files.createSymbolicLink(repo.resolve("loop"), repo); // a directory link back to the root: never followed
        boolean fifo = new ProcessBuilder("mkfifo", repo.resolve("pipe.txt").toString()).start().waitFor() == 0;

        ScanReport report = scanner(ScanOptions.defaults()).scan(repo);

        assertThat(render(report)).containsExactlyElementsOf(EXPECTED);
        assertThat(report.summary().skipped()).containsEntry(SkipReason.TOO_LARGE, 1L).containsEntry(SkipReason.SYMLINK, 2L)
                .containsEntry(SkipReason.NOT_REGULAR, fifo ? 1L : 0L);
    }

    @Test
    void aRootGivenThroughASymlinkIsScanned(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.writeString(real.resolve("a.py"), "import stripe\n");
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertThat(render(scanner(ScanOptions.defaults()).scan(link))).containsExactly("sdk stripe a.py:1 import stripe");
    }

    @Test
    void rejectsARootThatIsNotADirectory(@TempDir Path dir) {
        assertThatThrownBy(() -> scanner(ScanOptions.defaults()).scan(dir.resolve("missing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void survivesHostileTextWithoutErrors(@TempDir Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        java.util.Random random = new java.util.Random(42);
        String alphabet = "ab.-:/@'\"\\ \n\t{}()[]<>$import require from using use api.stripe.com https:// 0123456789xZ";
        for (int i = 0; i < 400_000; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        sb.append("\n").append(".".repeat(300_000)).append("\n").append("a.".repeat(200_000)).append("\nimport ");
        sb.append("\nhttps://").append("x".repeat(70_000)).append(".com/").append("p".repeat(10_000));
        for (String name : List.of("noise.py", "noise.js", "noise.go", "noise.java", "noise.php", "noise.rb", "noise.cs", "noise.yml",
                "package.json", "pom.xml", "go.mod", "yarn.lock", "pnpm-lock.yaml", "requirements.txt", "pyproject.toml",
                "poetry.lock", "Gemfile.lock", "composer.json", "x.csproj", "build.gradle", "package-lock.json")) {
            Path sub = Files.createDirectories(dir.resolve(name.replace('.', '_')));
            Files.writeString(sub.resolve(name), sb);
        }
        Files.writeString(dir.resolve("deep.json"), "[".repeat(100_000));
        Files.writeString(Files.createDirectories(dir.resolve("deep")).resolve("package.json"), "{\"dependencies\":" + "[".repeat(100_000));
        ScanReport report = scanner(ScanOptions.defaults()).scan(dir);
        assertThat(report.summary().errors()).isZero();
        assertThat(report.summary().filesScanned()).isEqualTo(23);
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.detail().length()).isLessThan(600));
    }

    static byte[] padded(String head, int size) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) ' ');
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(h, 0, b, 0, h.length);
        b[size - 1] = '\n';
        return b;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}

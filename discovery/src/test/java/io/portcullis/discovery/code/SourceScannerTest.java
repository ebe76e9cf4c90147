package io.portcullis.discovery.code;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.discovery.registry.SourceLanguage;
import io.portcullis.discovery.registry.VendorRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceScannerTest {
    static final SourceScanner SCANNER = new SourceScanner(VendorRegistry.bundled(), new PlaceholderSecretDetector());

    static List<String> scan(SourceLanguage lang, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        FileFindings out = new FileFindings("f");
        SCANNER.scan(b, b.length, lang, true, true, out, true);
        return out.findings().stream().map(f -> f.kind().wireName() + " " + f.vendor() + " " + f.line() + " " + f.detail()).toList();
    }

    @Test
    void pathSegmentsThatLookLikeTokensAreRedacted() {
        assertThat(SourceScanner.redactPath("/v1/charges")).isEqualTo("/v1/charges");
        assertThat(SourceScanner.redactPath("/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json"))
                .isEqualTo("/2010-04-01/Accounts/{redacted}/Messages.json");
        assertThat(SourceScanner.redactPath("/api/webhooks/123456789012345678/" + "x".repeat(40)))
                .isEqualTo("/api/webhooks/{redacted}/{redacted}");
    }

    @Test
    void hostsAreCaseInsensitiveAndProsePunctuationIsNotPartOfThem() {
        assertThat(scan(null, "Call HTTPS://API.Stripe.COM/v1/tokens. Or api.twilio.com.\n"))
                .containsExactly("endpoint stripe 1 https://api.stripe.com/v1/tokens", "endpoint twilio 1 api.twilio.com");
    }

    @Test
    void connectionStringsOfAnySchemeMapToVendorsButOnlyHttpUnknownHostsAreReported() {
        assertThat(scan(null, "MONGO=mongodb+srv://cluster0.ab12c.mongodb.net/app\nAMQP=amqps://queue.acme-internal.io/x\nURL=wss://stream.acme-feeds.io/live\n"))
                .containsExactly("endpoint mongodb-atlas 1 mongodb+srv://cluster0.ab12c.mongodb.net/app",
                        "endpoint null 3 wss://stream.acme-feeds.io/live");
    }

    @Test
    void pathQualifiedApiHostsNeedTheirPath() {
        assertThat(scan(null, "a https://slack.com/api/chat.postMessage\nb https://slack.com/pricing\n"))
                .containsExactly("endpoint slack 1 https://slack.com/api/chat.postMessage");
    }

    @Test
    void kotlinAndStaticJavaImportsAndCsharpAliasesAreRead() {
        assertThat(scan(SourceLanguage.JAVA, "import static com.twilio.Twilio.init;\n")).containsExactly("sdk twilio 1 import com.twilio.Twilio.init");
        assertThat(scan(SourceLanguage.JAVA, "import com.stripe.model.*\n")).containsExactly("sdk stripe 1 import com.stripe.model");
        assertThat(scan(SourceLanguage.CSHARP, "global using SG = SendGrid.Helpers.Mail;\n")).containsExactly("sdk sendgrid 1 using SendGrid.Helpers.Mail");
        assertThat(scan(SourceLanguage.JAVA, "import com.stripeish.Thing;\n")).isEmpty();
    }

    @Test
    void goImportBlocksAndDynamicJsImportsAreRead() {
        assertThat(scan(SourceLanguage.GO, "import (\n\t\"fmt\"\n\tsg \"github.com/sendgrid/sendgrid-go\"\n)\nvar x = \"github.com/stripe/stripe-go\"\n"))
                .containsExactly("sdk sendgrid 3 import \"github.com/sendgrid/sendgrid-go\"");
        assertThat(scan(SourceLanguage.JAVASCRIPT, "const m = await import('@anthropic-ai/sdk/resources');\n"))
                .containsExactly("sdk anthropic 1 import('@anthropic-ai/sdk/resources')");
    }

    @Test
    void unknownHostsInCommentsAreReferencesButVendorApisInCommentsStillCount() {
        assertThat(scan(SourceLanguage.JAVA, "// see https://blog.some-author.net/post\n  * https://api.stripe.com/v1/charges\n"
                + "# https://wiki.acme-corp.io/x\nurl = \"https://api.acme-partner.io/v1\" // https://ignored-too.io/\n"))
                .containsExactly("endpoint stripe 2 https://api.stripe.com/v1/charges", "endpoint null 4 https://api.acme-partner.io/v1",
                        "endpoint null 4 https://ignored-too.io/");
    }

    @Test
    void emailAddressesAndIdentifiersAreNotHosts() {
        assertThat(scan(SourceLanguage.JAVA, "String s = \"ops@api.stripe.com\"; System.out.println(config.host);\n")).isEmpty();
    }
}

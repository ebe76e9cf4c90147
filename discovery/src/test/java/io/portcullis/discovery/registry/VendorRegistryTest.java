package io.portcullis.discovery.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VendorRegistryTest {
    static final VendorRegistry REGISTRY = VendorRegistry.bundled();

    static String api(String host, String path) {
        return REGISTRY.classify(host, path) instanceof HostClass.Api a ? a.vendor().id() : REGISTRY.classify(host, path).getClass().getSimpleName();
    }

    @Test
    void bundledRegistryCoversAtLeastSixtyVendorsIncludingTheCommonOnes() {
        assertThat(REGISTRY.vendors()).hasSizeGreaterThanOrEqualTo(60);
        assertThat(REGISTRY.vendors()).extracting(Vendor::id).contains("stripe", "twilio", "sendgrid", "slack", "github", "openai",
                "anthropic", "aws", "gcp", "azure", "salesforce", "hubspot", "zendesk", "intercom", "segment", "mixpanel", "datadog",
                "sentry", "pagerduty", "okta", "auth0", "plaid", "adyen", "paypal", "square", "shopify", "mailchimp", "mailgun",
                "postmark", "algolia", "cloudflare", "atlassian", "zoom", "docusign", "dropbox", "box", "google-maps", "firebase",
                "braintree", "checkout-com", "klarna", "vonage", "messagebird", "airtable", "notion", "asana", "linear", "contentful",
                "launchdarkly", "snowflake", "mongodb-atlas", "supabase", "vercel", "netlify", "heroku", "cohere", "mistral",
                "huggingface", "pinecone");
        assertThat(REGISTRY.vendors()).allSatisfy(v -> {
            assertThat(v.apiHosts()).isNotEmpty();
            assertThat(v.docs()).startsWith("https://");
        });
    }

    @Test
    void exactHostsBeatWildcardsAndLongerSuffixesBeatShorterOnes() {
        assertThat(api("maps.googleapis.com", "")).isEqualTo("google-maps");
        assertThat(api("fcm.googleapis.com", "")).isEqualTo("firebase");
        assertThat(api("storage.googleapis.com", "")).isEqualTo("gcp");
        assertThat(api("acme.my.salesforce.com", "")).isEqualTo("salesforce");
        assertThat(api("sqs.eu-west-1.amazonaws.com", "")).isEqualTo("aws");
        assertThat(api("API.STRIPE.COM.", "")).isEqualTo("stripe");
    }

    @Test
    void webHostsNonApiHostsAndPrivateAddressesAreNotEndpoints() {
        assertThat(REGISTRY.classify("docs.stripe.com", "/api")).isInstanceOf(HostClass.Web.class);
        assertThat(REGISTRY.classify("www.w3.org", "")).isInstanceOf(HostClass.NotApi.class);
        assertThat(REGISTRY.classify("svc.example.com", "")).isInstanceOf(HostClass.NotApi.class);
        assertThat(REGISTRY.classify("192.168.1.20", "")).isInstanceOf(HostClass.NotApi.class);
        assertThat(REGISTRY.classify("172.31.0.1", "")).isInstanceOf(HostClass.NotApi.class);
        assertThat(REGISTRY.classify("172.32.0.1", "")).isInstanceOf(HostClass.Unknown.class);
        assertThat(REGISTRY.classify("api.unheard-of-vendor.io", "")).isInstanceOf(HostClass.Unknown.class);
    }

    @Test
    void hostsWithAPathPrefixMatchOnlyUnderThatPath() {
        assertThat(api("slack.com", "/api/chat.postMessage")).isEqualTo("slack");
        assertThat(api("slack.com", "/api")).isEqualTo("slack");
        assertThat(REGISTRY.classify("slack.com", "/apix")).isInstanceOf(HostClass.Web.class);
    }

    @Test
    void packagesAreMatchedWithEachEcosystemsNormalisation() {
        assertThat(pkg(Ecosystem.PYPI, "Segment_Analytics.Python")).contains("segment");
        assertThat(pkg(Ecosystem.NUGET, "stripe.NET")).contains("stripe");
        assertThat(pkg(Ecosystem.MAVEN, "software.amazon.awssdk:s3")).contains("aws");
        assertThat(pkg(Ecosystem.MAVEN, "com.squareup.okhttp3:okhttp")).isEmpty();
        assertThat(pkg(Ecosystem.GO, "github.com/stripe/stripe-go/v76")).contains("stripe");
        assertThat(pkg(Ecosystem.GO, "github.com/stripe/other")).isEmpty();
        assertThat(pkg(Ecosystem.NPM, "@aws-sdk/client-s3")).contains("aws");
        assertThat(pkg(Ecosystem.NPM, "stripe-mock")).isEmpty();
    }

    @Test
    void importsMatchOnSegmentBoundaries() {
        assertThat(REGISTRY.vendorForImport(SourceLanguage.PYTHON, "google.cloud.storage").map(Vendor::id)).contains("gcp");
        assertThat(REGISTRY.vendorForImport(SourceLanguage.PYTHON, "googlemaps").map(Vendor::id)).contains("google-maps");
        assertThat(REGISTRY.vendorForImport(SourceLanguage.PHP, "Stripe\\StripeClient").map(Vendor::id)).contains("stripe");
        assertThat(REGISTRY.vendorForImport(SourceLanguage.JAVASCRIPT, "./stripe")).isEmpty();
        assertThat(REGISTRY.vendorForImport(SourceLanguage.JAVASCRIPT, "node:https")).isEmpty();
        assertThat(REGISTRY.vendorForImport(SourceLanguage.RUBY, "aws-sdk-s3").map(Vendor::id)).contains("aws");
    }

    @Test
    void aHostClaimedByTwoVendorsIsRejected() {
        String json = """
                {"vendors": [
                  {"id": "a", "name": "A", "apiHosts": ["api.x.com"], "docs": "https://a"},
                  {"id": "b", "name": "B", "apiHosts": ["api.x.com"], "docs": "https://b"}]}
                """;
        assertThatThrownBy(() -> VendorRegistry.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api.x.com").hasMessageContaining("'a'").hasMessageContaining("'b'");
    }

    @Test
    void malformedRegistriesAreRejectedWithTheProblemNamed() {
        assertThatThrownBy(() -> load("{\"vendors\": [{\"id\": \"a\", \"apiHosts\": [\"API.X.com\"]}]}")).hasMessageContaining("bad host pattern 'API.X.com'");
        assertThatThrownBy(() -> load("{\"vendors\": [{\"id\": \"a\", \"apiHosts\": [\"x.com\"], \"packages\": {\"cargo\": [\"x\"]}}]}")).hasMessageContaining("unknown ecosystem 'cargo'");
        assertThatThrownBy(() -> load("{\"vendors\": [{\"id\": \"a\", \"apiHosts\": []}]}")).hasMessageContaining("lists no apiHosts");
        assertThatThrownBy(() -> load("{\"vendors\": [")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> load("{\"vendors\": [{\"id\": \"a\", \"apiHosts\": [\"x.com\"], \"packages\": {\"maven\": [\"com.a\"]}}]}"))
                .hasMessageContaining("must be groupId:artifactId");
    }

    static VendorRegistry load(String json) throws Exception {
        return VendorRegistry.load(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static Optional<String> pkg(Ecosystem e, String name) {
        return REGISTRY.vendorForPackage(e, name).map(Vendor::id);
    }
}

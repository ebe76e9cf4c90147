package io.portcullis.discovery.diff;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.portcullis.discovery.traffic.InventorySnapshot;
import io.portcullis.discovery.traffic.ObservedRequest;
import io.portcullis.discovery.traffic.TrafficLearner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogComparisonTest {
    static final Path DIR = Path.of("src/test/resources/learn/catalog");
    static Catalog catalog;
    static final long DAY = 86_400_000L;
    static final long NOW = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();

    @BeforeAll
    static void load() throws CatalogException {
        catalog = Catalog.load(List.of(DIR.resolve("shop.yaml"), DIR.resolve("legacy-swagger2.json")));
    }

    private static ObservedRequest req(String host, String method, String path, String body, String deprecation) throws Exception {
        return new ObservedRequest(NOW - DAY, host, method, path, List.of(), 200, null, "application/json", "app", List.of(),
                "Bearer", null, body == null ? null : new ObjectMapper().readTree(body), deprecation, null);
    }

    private static Map<String, Verdict> judge(ObservedRequest... requests) {
        TrafficLearner l = new TrafficLearner();
        for (ObservedRequest r : requests) l.observe(r);
        InventorySnapshot inv = l.snapshot();
        Comparison c = new CatalogComparison(catalog, Duration.ofDays(30)).compare(inv, NOW);
        return c.verdicts().stream().collect(Collectors.toMap(v -> v.operation().method() + " " + v.operation().host() + v.operation().path().shape(), v -> v));
    }

    @Test
    void documentedOperationsMatchThroughTheTrieWithConstantsFirst() throws Exception {
        Map<String, Verdict> v = judge(req("api.shop.test", "GET", "/v2/orders/search", null, null),
                req("api.shop.test", "GET", "/v2/orders/ord_8fJ2kQm3ZxW9", "{\"id\":\"ord_1\",\"total\":5,\"items\":[{\"sku\":\"a\"}]}", null),
                req("mail.legacy.test", "GET", "/api/v1/messages/42.json", null, null));
        assertThat(v.get("GET api.shop.test/v2/orders/search").matched().operationId()).isEqualTo("searchOrders");
        assertThat(v.get("GET api.shop.test/v2/orders/{}").label()).isEqualTo(Label.DOCUMENTED);
        assertThat(v.get("GET api.shop.test/v2/orders/{}").reason()).isEqualTo("matches GET /v2/orders/{order} in shop.yaml");
        assertThat(v.get("GET mail.legacy.test/api/v1/messages/{}.json").label()).isEqualTo(Label.DOCUMENTED);
    }

    @Test
    void shadowForUnknownHostsAndUndocumentedOperationsWithReasons() throws Exception {
        Map<String, Verdict> v = judge(req("api.unknown.test", "GET", "/v1/things", null, null),
                req("api.shop.test", "DELETE", "/v2/orders/ord_8fJ2kQm3ZxW9", null, null),
                req("api.shop.test", "GET", "/v2/refunds", null, null),
                req("api.shop.test", "GET", "/v2/orders/export", null, null));
        assertThat(v.get("GET api.unknown.test/v1/things").label()).isEqualTo(Label.SHADOW);
        assertThat(v.get("GET api.unknown.test/v1/things").reason()).isEqualTo("host api.unknown.test is not in the catalog");
        assertThat(v.get("DELETE api.shop.test/v2/orders/{}").label()).isEqualTo(Label.SHADOW);
        assertThat(v.get("DELETE api.shop.test/v2/orders/{}").reason()).contains("the path is documented for GET");
        assertThat(v.get("GET api.shop.test/v2/refunds").reason()).isEqualTo("GET /v2/refunds is not documented for api.shop.test");
        // a word cannot fill {order}, whose documented values are prefixed IDs: /v2/orders/export is its own route
        assertThat(v.get("GET api.shop.test/v2/orders/export").label()).isEqualTo(Label.SHADOW);
    }

    @Test
    void aWordFillsAParameterDocumentedWithWordValues() throws Exception {
        Map<String, Verdict> v = judge(req("api.shop.test", "GET", "/v2/coupons/WINTER", null, null));
        assertThat(v.get("GET api.shop.test/v2/coupons/WINTER").label()).isEqualTo(Label.DOCUMENTED);
    }

    @Test
    void zombiesDeprecatedSupersededOrAnnouncedByHeaders() throws Exception {
        Map<String, Verdict> v = judge(req("api.shop.test", "POST", "/v2/gift_cards", null, null),
                req("api.shop.test", "GET", "/v1/orders/ord_8fJ2kQm3ZxW9", null, null),
                req("api.shop.test", "GET", "/v1/orders", null, null),
                req("mail.legacy.test", "POST", "/api/v1/messages.json", null, "@1735689600"));
        assertThat(v.get("POST api.shop.test/v2/gift_cards").label()).isEqualTo(Label.ZOMBIE);
        assertThat(v.get("POST api.shop.test/v2/gift_cards").reason()).contains("marked deprecated in shop.yaml (createGiftCard)");
        assertThat(v.get("GET api.shop.test/v1/orders/{}").label()).isEqualTo(Label.ZOMBIE);
        assertThat(v.get("GET api.shop.test/v1/orders/{}").reason()).contains("version v1").contains("superseded by GET /v2/orders/{order}");
        // undocumented old version of a documented resource is a zombie too
        assertThat(v.get("GET api.shop.test/v1/orders").label()).isEqualTo(Label.ZOMBIE);
        assertThat(v.get("POST mail.legacy.test/api/v1/messages.json").reason()).contains("Deprecation: @1735689600");
    }

    @Test
    void driftListsUndocumentedMistypedAndMissingFields() throws Exception {
        Map<String, Verdict> v = judge(req("api.shop.test", "GET", "/v2/orders/ord_8fJ2kQm3ZxW9",
                "{\"id\":\"ord_1\",\"total\":\"5.00\",\"ssn\":\"x\",\"items\":[{\"sku\":\"a\",\"price\":1}]}", null));
        Verdict d = v.get("GET api.shop.test/v2/orders/{}");
        assertThat(d.label()).isEqualTo(Label.DRIFT);
        assertThat(d.drift()).contains("response.total is string, documented integer", "response.ssn is not documented");
        Map<String, Verdict> missing = judge(req("api.shop.test", "GET", "/v2/orders/ord_8fJ2kQm3ZxW9", "{\"id\":\"ord_1\"}", null));
        assertThat(missing.get("GET api.shop.test/v2/orders/{}").drift()).containsExactly("response.total is required by the spec but never observed");
    }

    @Test
    void orphansAreDocumentedOperationsUnusedInTheWindow() throws Exception {
        TrafficLearner l = new TrafficLearner();
        l.observe(new ObservedRequest(NOW - 40 * DAY, "api.shop.test", "GET", "/v2/orders", List.of(), 200, null, null, null,
                List.of(), null, null, null, null, null));
        l.observe(req("api.shop.test", "GET", "/v2/orders/search", null, null));
        Comparison c = new CatalogComparison(catalog, Duration.ofDays(30)).compare(l.snapshot(), NOW);
        Map<String, Orphan> orphans = c.orphans().stream().collect(Collectors.toMap(o -> o.operation().label(), o -> o));
        assertThat(orphans).containsKeys("GET /v2/orders", "GET /v2/orders/{order}", "DELETE /v2/carts/{cart}", "POST /api/v1/messages.json")
                .doesNotContainKey("GET /v2/orders/search");
        assertThat(orphans.get("GET /v2/orders").reason()).contains("more than 30 days before");
        assertThat(orphans.get("GET /v2/orders/{order}").reason()).startsWith("no traffic observed");
        assertThat(c.count(Label.ORPHAN)).isEqualTo(c.orphans().size());
    }

    @Test
    void unreadableSpecsFailWithTheFileNameAndNoStackTrace() {
        assertThatThrownBy(() -> Catalog.load(List.of(DIR.resolve("missing.yaml")))).isInstanceOf(CatalogException.class)
                .hasMessageContaining("missing.yaml: no such spec file");
        assertThatThrownBy(() -> Catalog.load(List.of(DIR.resolve("broken.yaml")))).isInstanceOf(CatalogException.class)
                .hasMessageContaining("broken.yaml").hasMessageContaining("not an OpenAPI 3.x or Swagger 2.0 document");
    }

    @Test
    void specsWithoutAnAbsoluteServerAreReportedAsWarnings() throws CatalogException {
        Catalog c = Catalog.load(List.of(DIR.resolve("no-server.yaml")));
        assertThat(c.operations()).isEmpty();
        assertThat(c.warnings()).singleElement().asString().contains("no absolute server URL");
    }

    @Test
    void swagger2HostAndBasePathBecomeTheOperationPath() {
        assertThat(catalog.operations().stream().filter(o -> o.host().equals("mail.legacy.test")).map(CatalogOperation::label))
                .containsExactlyInAnyOrder("GET /api/v1/messages/{id}.json", "POST /api/v1/messages.json");
    }

    @Test
    void versionsCompareNumericallyAndPreReleasesComeFirst() {
        assertThat(Catalog.Version.parse("v2").compareTo(Catalog.Version.parse("v10"))).isNegative();
        assertThat(Catalog.Version.parse("v2beta1").compareTo(Catalog.Version.parse("v2"))).isNegative();
        assertThat(Catalog.Version.parse("2010-04-01").compareTo(Catalog.Version.parse("2024-06-20"))).isNegative();
        assertThat(Catalog.Version.parse("v1.1").compareTo(Catalog.Version.parse("v1"))).isPositive();
    }
}

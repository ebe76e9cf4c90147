package io.portcullis.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.discovery.code.FindingKind;
import io.portcullis.discovery.code.RepoFinding;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every store backend must have; run against H2 and PostgreSQL by the subclasses. */
abstract class InventoryStoreContract {
    static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    static final Instant T1 = Instant.parse("2026-11-02T10:00:00Z");
    static final Instant T2 = Instant.parse("2026-11-03T10:00:00Z");

    InventoryStore store;

    /** A location for a fresh, empty database. */
    abstract String freshLocation() throws Exception;

    /** The same location again (to reopen after close). */
    abstract String currentLocation();

    @BeforeEach
    void openStore() throws Exception {
        store = InventoryStore.open(freshLocation());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static OperationStats delta(String host, String path, Instant first, Instant last, long count, Map<Integer, Long> statuses,
                                Set<String> apps, String responseSchema) {
        return new OperationStats(host, "GET", path, "stripe", first, last, count, statuses, Set.of("application/json"),
                Set.of("limit"), null, responseSchema, Set.of("EMAIL"), Set.of("bearer"), apps);
    }

    @Test
    void upsertMergesCountsTimesStatusesAndSets() {
        store.upsertOperation(delta("api.stripe.com", "/v1/customers/{id}", T1, T1, 3, Map.of(200, 3L), Set.of("billing"), "{\"type\":\"object\"}"));
        OperationStats merged = store.upsertOperation(new OperationStats("api.stripe.com", "GET", "/v1/customers/{id}", null, T0, T2, 2,
                Map.of(200, 1L, 404, 1L), Set.of("text/html"), Set.of("expand"), "{\"type\":\"null\"}", null, Set.of("PHONE"),
                Set.of("basic"), Set.of("checkout")));
        OperationStats stored = store.operation("api.stripe.com", "GET", "/v1/customers/{id}").orElseThrow();
        assertThat(stored).isEqualTo(merged);
        assertThat(stored.requestCount()).isEqualTo(5);
        assertThat(stored.firstSeen()).isEqualTo(T0);
        assertThat(stored.lastSeen()).isEqualTo(T2);
        assertThat(stored.statuses()).isEqualTo(Map.of(200, 4L, 404, 1L));
        assertThat(stored.contentTypes()).containsExactly("application/json", "text/html");
        assertThat(stored.queryNames()).containsExactly("expand", "limit");
        assertThat(stored.dataClasses()).containsExactly("EMAIL", "PHONE");
        assertThat(stored.authSchemes()).containsExactly("basic", "bearer");
        assertThat(stored.apps()).containsExactly("billing", "checkout");
        assertThat(stored.vendor()).isEqualTo("stripe"); // a delta without a vendor keeps the known one
        assertThat(stored.requestSchema()).isEqualTo("{\"type\":\"null\"}");
        assertThat(stored.responseSchema()).isEqualTo("{\"type\":\"object\"}");
    }

    @Test
    void queriesByHostVendorAndLabel() {
        store.upsertOperation(delta("api.stripe.com", "/v1/charges", T0, T0, 1, Map.of(), Set.of("a"), null));
        store.upsertOperation(delta("api.stripe.com", "/v1/refunds", T0, T0, 1, Map.of(), Set.of("a"), null));
        store.upsertOperation(new OperationStats("api.unknown.io", "POST", "/v2/orders", null, T0, T0, 1, Map.of(), Set.of(), Set.of(),
                null, null, Set.of(), Set.of(), Set.of()));
        assertThat(store.operationsByHost("api.stripe.com")).extracting(OperationStats::pathTemplate).containsExactly("/v1/charges", "/v1/refunds");
        assertThat(store.operationsByVendor("stripe")).hasSize(2);
        assertThat(store.label("api.unknown.io", "POST", "/v2/orders", "shadow", "host not in the catalog", T1)).isTrue();
        assertThat(store.label("api.stripe.com", "GET", "/v1/refunds", "zombie", "v1 superseded", T1)).isTrue();
        assertThat(store.label("api.nowhere.io", "GET", "/", "shadow", "x", T1)).isFalse();
        assertThat(store.operationsByLabel("shadow")).extracting(OperationStats::host).containsExactly("api.unknown.io");
        assertThat(store.operationsByLabel("zombie")).extracting(OperationStats::pathTemplate).containsExactly("/v1/refunds");
        assertThat(store.operationsByLabel("orphan")).isEmpty();
    }

    @Test
    void relabellingUpdatesTheReasonAndKeepsTheFirstSighting() {
        store.upsertOperation(delta("api.stripe.com", "/v1/charges", T0, T0, 1, Map.of(), Set.of(), null));
        store.label("api.stripe.com", "GET", "/v1/charges", "drift", "field amount: documented integer, seen string", T0);
        store.label("api.stripe.com", "GET", "/v1/charges", "drift", "field currency missing", T2);
        List<OperationLabel> labels = store.labels("api.stripe.com");
        assertThat(labels).singleElement().satisfies(l -> {
            assertThat(l.reason()).isEqualTo("field currency missing");
            assertThat(l.firstSeen()).isEqualTo(T0);
            assertThat(l.lastSeen()).isEqualTo(T2);
        });
        assertThat(store.unlabel("api.stripe.com", "GET", "/v1/charges", "drift")).isTrue();
        assertThat(store.labels("api.stripe.com")).isEmpty();
    }

    @Test
    void scanFindingsAreRecordedAndTheLatestScanPerRepoIsQueried() {
        RepoFinding a = new RepoFinding(FindingKind.ENDPOINT, "stripe", "src/Pay.java", 9, "https://api.stripe.com/v1/charges", 2);
        RepoFinding b = new RepoFinding(FindingKind.ENDPOINT, null, "src/Pay.java", 11, "https://api.partner.io/v2", 1);
        RepoFinding c = new RepoFinding(FindingKind.DEPENDENCY, "twilio", "pom.xml", 14, "maven com.twilio.sdk:twilio 10.1.0", 1);
        store.recordScan("/repos/billing", T0, List.of(a, b));
        long second = store.recordScan("/repos/billing", T1, List.of(a, c));
        store.recordScan("/repos/web", T1, List.of(new RepoFinding(FindingKind.SDK, "stripe", "src/x.ts", 1, "import 'stripe'", 1)));
        assertThat(store.latestFindings("/repos/billing")).extracting(StoredFinding::finding).containsExactly(c, a);
        assertThat(store.latestFindings("/repos/billing")).allSatisfy(f -> assertThat(f.scanId()).isEqualTo(second));
        assertThat(store.findingsByVendor("stripe")).extracting(StoredFinding::repo).containsExactly("/repos/billing", "/repos/web");
        assertThat(store.latestFindings("/repos/never")).isEmpty();
    }

    @Test
    void manyFindingsAreRecordedInOneScan() {
        List<RepoFinding> many = new ArrayList<>();
        for (int i = 1; i <= 2500; i++) {
            many.add(new RepoFinding(FindingKind.ENDPOINT, null, "f" + (i % 7) + ".py", i, "https://h" + i + ".io/", 1));
        }
        store.recordScan("big", T0, many);
        assertThat(store.latestFindings("big")).hasSize(2500);
    }

    @Test
    void eventsAreAppendedAndQueriedByTypeAndTime() {
        store.appendEvent(T0, "shadow-first-seen", "api.unknown.io POST /v2/orders", "{\"app\":\"billing\"}");
        store.appendEvent(T1, "shadow-first-seen", "api.other.io GET /x", "{}");
        store.appendEvent(T1, "zombie-first-seen", "api.stripe.com GET /v1/refunds", "{}");
        assertThat(store.events("shadow-first-seen", T0, 10)).extracting(StoredEvent::subject)
                .containsExactly("api.unknown.io POST /v2/orders", "api.other.io GET /x");
        assertThat(store.events("shadow-first-seen", T1, 10)).extracting(StoredEvent::occurredAt).containsExactly(T1);
        assertThat(store.events("shadow-first-seen", T0, 1)).hasSize(1);
    }

    @Test
    void dataSurvivesARestartAndReopeningDoesNotRemigrate() {
        store.upsertOperation(delta("api.stripe.com", "/v1/charges", T0, T1, 7, Map.of(201, 7L), Set.of("billing"), null));
        store.close();
        store = InventoryStore.open(currentLocation());
        assertThat(store.operation("api.stripe.com", "GET", "/v1/charges").orElseThrow().requestCount()).isEqualTo(7);
    }

    @Test
    void concurrentUpsertsOfTheSameOperationLoseNoCounts() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        store.upsertOperation(delta("api.stripe.com", "/v1/race", T0, T0, 1, Map.of(200, 1L), Set.of("app"), null));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        OperationStats s = store.operation("api.stripe.com", "GET", "/v1/race").orElseThrow();
        assertThat(s.requestCount()).isEqualTo(120);
        assertThat(s.statuses()).containsEntry(200, 120L);
    }

    @Test
    void valuesAtTheLimitAreKeptAndOverItRejectedWithTheFieldNamed() {
        String atLimit = "\"" + "s".repeat(InventoryStore.MAX_SCHEMA_CHARS - 2) + "\"";
        store.upsertOperation(delta("api.stripe.com", "/v1/big", T0, T0, 1, Map.of(), Set.of(), atLimit));
        assertThat(store.operation("api.stripe.com", "GET", "/v1/big").orElseThrow().responseSchema()).hasSize(InventoryStore.MAX_SCHEMA_CHARS);
        assertThatThrownBy(() -> store.upsertOperation(delta("api.stripe.com", "/v1/big", T0, T0, 1, Map.of(), Set.of(), atLimit + " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("responseSchema").hasMessageContaining("1000000");
        assertThatThrownBy(() -> store.upsertOperation(delta("h".repeat(254), "/", T0, T0, 1, Map.of(), Set.of(), null)))
                .hasMessageContaining("host");
        assertThat(store.operation("api.stripe.com", "GET", "/v1/big").orElseThrow().requestCount()).isEqualTo(1);
    }
}

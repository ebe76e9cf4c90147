package io.portcullis.discovery.traffic;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficLearnerTest {
    private static final String STRIPE = "api.stripe.test";

    private static List<String> templates(TrafficLearner l) {
        return l.snapshot().operations().stream().map(o -> o.method() + " " + o.host() + o.path().render()).toList();
    }

    @Test
    void identifiersBecomeParametersAndStaticRoutesBesideThemStaySeparate() {
        TrafficLearner l = new TrafficLearner();
        l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/customers/cus_NffrFeUfNV2Hib"));
        l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/customers/cus_PQ3rRtYu8wq1Zx"));
        l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/customers/search"));
        l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/customers"));
        l.observe(ObservedRequest.of(STRIPE, "POST", "/v1/customers/cus_NffrFeUfNV2Hib/sources/card_1MvoiELkdIwHu7ixOeFh8bUz"));
        assertThat(templates(l)).containsExactlyInAnyOrder(
                "GET api.stripe.test/v1/customers",
                "GET api.stripe.test/v1/customers/search",
                "GET api.stripe.test/v1/customers/{customerId}",
                "POST api.stripe.test/v1/customers/{customerId}/sources/{sourceId}");
    }

    @Test
    void aPrefixedIdWhoseRandomPartLooksLikeAWordJoinsItsSiblings() {
        TrafficLearner l = new TrafficLearner();
        l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/customers/cus_NffrFeUfNV2Hib"));
        l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/customers/cus_abcdefghijklmn"));
        l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/customers/cus_search"));
        assertThat(templates(l)).containsExactlyInAnyOrder("GET api.stripe.test/v1/customers/{customerId}",
                "GET api.stripe.test/v1/customers/cus_search");
    }

    @Test
    void observeReportsFirstSightingsOnly() {
        TrafficLearner l = new TrafficLearner();
        assertThat(l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/charges/ch_3MmlLrLkdIwHu7ix0snN0B15"))).isTrue();
        assertThat(l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/charges/ch_3MmlLrLkdIwHu7ix0snN0B16"))).isFalse();
        assertThat(l.observe(ObservedRequest.of(STRIPE, "POST", "/v1/charges/ch_3MmlLrLkdIwHu7ix0snN0B16"))).isTrue();
    }

    @Test
    void oneObservationOfAnIdIsEnoughAndCountsAreKept() {
        TrafficLearner l = new TrafficLearner();
        l.observe(ObservedRequest.of("api.example.com", "DELETE", "/api/v2/tickets/35436"));
        InventorySnapshot s = l.snapshot();
        assertThat(s.operations()).singleElement().satisfies(o -> {
            assertThat(o.path().render()).isEqualTo("/api/v2/tickets/{ticketId}");
            assertThat(o.path().shape()).isEqualTo("/api/v2/tickets/{}");
            assertThat(o.requests()).isEqualTo(1);
        });
    }

    @Test
    void twilioStyleSidsWithJsonSuffixKeepTheSuffixAndTheDatedVersion() {
        TrafficLearner l = new TrafficLearner();
        String acc = "AC3f1b2c3d4e5f60718293a4b5c6d7e8f9";
        l.observe(ObservedRequest.of("api.twilio.test", "GET", "/2010-04-01/Accounts/" + acc + "/Messages.json"));
        l.observe(ObservedRequest.of("api.twilio.test", "GET", "/2010-04-01/Accounts/" + acc + "/Messages/SM1b2c3d4e5f60718293a4b5c6d7e8f9a0.json"));
        l.observe(ObservedRequest.of("api.twilio.test", "GET", "/2010-04-01/Accounts/" + acc + "/IncomingPhoneNumbers/Local.json"));
        assertThat(templates(l)).containsExactlyInAnyOrder(
                "GET api.twilio.test/2010-04-01/Accounts/{accountId}/Messages.json",
                "GET api.twilio.test/2010-04-01/Accounts/{accountId}/Messages/{messageId}.json",
                "GET api.twilio.test/2010-04-01/Accounts/{accountId}/IncomingPhoneNumbers/Local.json");
    }

    @Test
    void rpcStyleMethodNamesNeverBecomeParametersEvenWhenThereAreMany() {
        TrafficLearner l = new TrafficLearner();
        String[] families = {"chat", "conversations", "users", "files", "reactions", "pins", "team", "views", "dnd", "emoji"};
        String[] verbs = {"list", "info", "postMessage", "update", "delete", "history", "open", "add"};
        for (String f : families) for (String v : verbs) l.observe(ObservedRequest.of("slack.test", "POST", "/api/" + f + "." + v));
        List<LearnedOperation> ops = l.snapshot().operations();
        assertThat(ops).hasSize(80);
        assertThat(ops).allSatisfy(o -> assertThat(o.path().segments()).allMatch(s -> s instanceof PathTemplate.Literal));
    }

    @Test
    void manyDistinctWordsAtOnePositionBecomeAParameterWhileStableWordsStay() {
        TrafficLearner l = new TrafficLearner();
        Random r = new Random(7);
        for (int i = 0; i < 60; i++) {
            StringBuilder login = new StringBuilder();
            for (int k = 0; k < 7; k++) login.append((char) ('a' + r.nextInt(26)));
            l.observe(ObservedRequest.of("api.github.test", "GET", "/users/" + login + "/repos"));
        }
        for (int i = 0; i < 30; i++) l.observe(ObservedRequest.of("api.github.test", "GET", "/users/settings/repos"));
        assertThat(templates(l)).containsExactlyInAnyOrder(
                "GET api.github.test/users/{user}/repos",
                "GET api.github.test/users/settings/repos");
    }

    @Test
    void aFewStableWordsStayConstants() {
        TrafficLearner l = new TrafficLearner();
        for (String w : List.of("balance", "events", "customers", "charges", "invoices")) {
            for (int i = 0; i < 3; i++) l.observe(ObservedRequest.of(STRIPE, "GET", "/v1/" + w));
        }
        assertThat(templates(l)).hasSize(5).allMatch(t -> !t.contains("{"));
    }

    @Test
    void perOperationStatisticsAreRecordedWithoutValues() throws Exception {
        TrafficLearner l = new TrafficLearner();
        ObjectMapper m = new ObjectMapper();
        l.observe(new ObservedRequest(1_000, STRIPE, "POST", "/v1/charges", List.of("expand"), 200, "application/json",
                "application/json", "checkout", List.of("card_number"), "Bearer",
                m.readTree("{\"amount\":100,\"currency\":\"usd\"}"), m.readTree("{\"id\":\"ch_1\",\"paid\":true}"), null, null));
        l.observe(new ObservedRequest(5_000, STRIPE, "POST", "/v1/charges", List.of(), 402, "application/json",
                "application/json", "billing", List.of("email"), "Basic", m.readTree("{\"amount\":7}"), null, null, null));
        LearnedOperation op = l.snapshot().operations().getFirst();
        assertThat(op.requests()).isEqualTo(2);
        assertThat(op.firstSeen()).isEqualTo(1_000);
        assertThat(op.lastSeen()).isEqualTo(5_000);
        assertThat(op.statuses()).containsEntry(200, 1L).containsEntry(402, 1L);
        assertThat(op.queryParams()).containsEntry("expand", 1L);
        assertThat(op.apps()).containsExactly("billing", "checkout");
        assertThat(op.dataClasses()).containsExactly("card_number", "email");
        assertThat(op.authSchemes()).containsExactly("Basic", "Bearer");
        assertThat(op.requestSchema().toString())
                .isEqualTo("{\"type\":\"object\",\"properties\":{\"amount\":{\"type\":\"integer\"},\"currency\":{\"type\":\"string\"}},\"required\":[\"amount\"]}");
        assertThat(op.responseSchema().path("properties").has("paid")).isTrue();
        assertThat(op.responseSchema().toString()).doesNotContain("ch_1");
    }

    @Test
    void aPositionPastTheLiteralLimitBecomesAParameterExactlyAtTheEdge() {
        LearnerLimits limits = new LearnerLimits(10, 1_000, 8, 32, 4, 4);
        TrafficLearner l = new TrafficLearner(limits);
        for (int i = 0; i < 8; i++) l.observe(ObservedRequest.of("h.test", "GET", "/files/name" + (char) ('a' + i)));
        assertThat(l.snapshot().operations()).hasSize(8);
        l.observe(ObservedRequest.of("h.test", "GET", "/files/namez"));
        assertThat(templates(l)).containsExactly("GET h.test/files/{file}");
    }

    @Test
    void anExplodingHostIsCollapsedAndFlaggedAndMemoryStaysBoundedByOperations() {
        LearnerLimits limits = new LearnerLimits(10, 50, 1_024, 32, 4, 4);
        TrafficLearner l = new TrafficLearner(limits);
        Random r = new Random(1);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder w = new StringBuilder();
            for (int k = 0; k < 6; k++) w.append((char) ('a' + r.nextInt(26)));
            l.observe(ObservedRequest.of("cdn.test", "GET", "/assets/" + w + "/thumb/" + w.reverse()));
            l.observe(ObservedRequest.of("calm.test", "GET", "/v1/items/" + i));
        }
        InventorySnapshot s = l.snapshot();
        assertThat(s.collapsedHosts()).containsKey("cdn.test").doesNotContainKey("calm.test");
        assertThat(l.operationsPerHost().get("cdn.test")).isLessThanOrEqualTo(50);
        assertThat(s.operations().stream().filter(o -> o.host().equals("calm.test")).map(o -> o.path().render()))
                .containsExactly("/v1/items/{itemId}");
        assertThat(s.requests()).isEqualTo(40_000);
    }

    @Test
    void appsAndNamesPerOperationAreCappedAtTheLimit() {
        TrafficLearner l = new TrafficLearner(new LearnerLimits(10, 100, 100, 32, 3, 2));
        for (int i = 0; i < 3; i++) {
            l.observe(new ObservedRequest(0, "a.test", "GET", "/x", List.of("q" + i), 200, null, null, "app" + i, List.of(),
                    null, null, null, null, null));
        }
        LearnedOperation atLimit = l.snapshot().operations().getFirst();
        assertThat(atLimit.apps()).hasSize(3);
        assertThat(atLimit.appsTruncated()).isFalse();
        assertThat(atLimit.queryParams()).hasSize(2);
        l.observe(new ObservedRequest(0, "a.test", "GET", "/x", List.of(), 200, null, null, "app3", List.of(), null, null, null, null, null));
        LearnedOperation over = l.snapshot().operations().getFirst();
        assertThat(over.apps()).hasSize(3);
        assertThat(over.appsTruncated()).isTrue();
    }

    @Test
    void requestsToHostsPastTheHostLimitAreCountedNotKept() {
        TrafficLearner l = new TrafficLearner(new LearnerLimits(2, 100, 100, 32, 4, 4));
        l.observe(ObservedRequest.of("a.test", "GET", "/x"));
        l.observe(ObservedRequest.of("b.test", "GET", "/x"));
        l.observe(ObservedRequest.of("c.test", "GET", "/x"));
        InventorySnapshot s = l.snapshot();
        assertThat(s.operations()).hasSize(2);
        assertThat(s.droppedRequests()).isEqualTo(1);
    }

    @Test
    void deepPathsFoldIntoOneTrailingParameter() {
        TrafficLearner l = new TrafficLearner(new LearnerLimits(10, 100, 100, 3, 4, 4));
        l.observe(ObservedRequest.of("a.test", "GET", "/a/b/c/d/e/f"));
        assertThat(templates(l)).containsExactly("GET a.test/a/b/{b}");
    }

    @Test
    void concurrentFeedersLoseNoRequests() throws Exception {
        TrafficLearner l = new TrafficLearner();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 5_000; i++) l.observe(ObservedRequest.of("h" + (i % 3) + ".test", "GET", "/v1/o/" + (id * 10_000 + i)));
            }));
        }
        for (Future<?> f : futures) f.get(60, TimeUnit.SECONDS);
        pool.shutdown();
        InventorySnapshot s = l.snapshot();
        assertThat(s.requests()).isEqualTo(20_000);
        assertThat(s.operations()).hasSize(3);
        assertThat(s.operations().stream().mapToLong(LearnedOperation::requests).sum()).isEqualTo(20_000);
        assertThat(s.operations().getFirst().path().segments().get(2)).isInstanceOfSatisfying(PathTemplate.Param.class,
                p -> assertThat(p.kinds()).isEqualTo(Set.of(SegmentKind.INTEGER)));
    }
}

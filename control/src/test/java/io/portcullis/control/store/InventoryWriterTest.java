package io.portcullis.control.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.discovery.traffic.ObservedRequest;
import io.portcullis.discovery.traffic.TrafficLearner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writing the live learner's inventory as deltas keeps the store's counts exact across repeated writes and restarts. */
class InventoryWriterTest {
    static ObservedRequest req(String path, int status) {
        return new ObservedRequest(1_700_000_000_000L, "api.example.com", "GET", path, List.of("limit"), status, null,
                "application/json", "billing", List.of("PII"), "bearer", null, null, null, null);
    }

    @Test
    void repeatedWritesAddOnlyWhatIsNewAndCountsSurviveANewWriter() {
        try (var store = InventoryStore.open("h2:mem:writer" + System.nanoTime())) {
            var learner = new TrafficLearner();
            var writer = new InventoryWriter(store);
            learner.observe(req("/v1/customers/search", 200));
            learner.observe(req("/v1/customers/search", 200));
            learner.observe(req("/v1/customers/search", 404));
            assertThat(writer.write(learner.snapshot(), Map.of("api.example.com", "example")::get)).isEqualTo(1);
            assertThat(writer.write(learner.snapshot(), h -> "example")).as("nothing new").isZero();
            learner.observe(req("/v1/customers/search", 200));
            writer.write(learner.snapshot(), h -> "example");
            var op = store.operation("api.example.com", "GET", "/v1/customers/search").orElseThrow();
            assertThat(op.requestCount()).isEqualTo(4);
            assertThat(op.statuses()).containsEntry(200, 3L).containsEntry(404, 1L);
            assertThat(op.vendor()).isEqualTo("example");
            assertThat(op.queryNames()).containsExactly("limit");
            assertThat(op.apps()).containsExactly("billing");
            assertThat(op.dataClasses()).containsExactly("PII");
            // a restarted gateway learns from zero; its writes add to what the store already holds
            var again = new TrafficLearner();
            again.observe(req("/v1/customers/search", 200));
            new InventoryWriter(store).write(again.snapshot(), h -> "example");
            assertThat(store.operation("api.example.com", "GET", "/v1/customers/search").orElseThrow().requestCount()).isEqualTo(5);
        }
    }
}

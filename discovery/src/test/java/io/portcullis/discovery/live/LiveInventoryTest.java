package io.portcullis.discovery.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.event.Direction;
import io.portcullis.core.event.ExchangeEvent;
import io.portcullis.core.event.SecurityEvent;
import io.portcullis.discovery.diff.Catalog;
import io.portcullis.discovery.diff.CatalogComparison;
import io.portcullis.discovery.traffic.TrafficLearner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway's exchange events feed the learner; an undocumented operation is announced once, as it is first seen. */
class LiveInventoryTest {
    static ExchangeEvent exchange(Direction d, String method, String path, String query, int status) {
        return ExchangeEvent.builder("r" + System.nanoTime(), d).app("notifications").vendor("chatwave").api("web")
                .host("chatwave.example").method(method).path(path).query(query).status(status)
                .attribute(ExchangeEvent.UPSTREAM_PROTOCOL, "h2").build();
    }

    @Test
    void documentedTrafficIsLearnedQuietlyAndAShadowOperationIsAnnouncedOnce() throws Exception {
        var catalog = Catalog.load(List.of(Path.of("src/test/resources/learn/specs/chat.yaml")));
        var announced = new ArrayList<SecurityEvent>();
        var live = new LiveInventory(new TrafficLearner(), new CatalogComparison(catalog, Duration.ofDays(30)), announced::add);

        live.accept(exchange(Direction.OUTBOUND, "GET", "/api/api.test", "cursor=abc&limit=5", 200));
        assertThat(announced).isEmpty();
        live.accept(exchange(Direction.OUTBOUND, "POST", "/api/admin.exportAllUsers", null, 200));
        live.accept(exchange(Direction.OUTBOUND, "POST", "/api/admin.exportAllUsers", null, 200));
        assertThat(announced).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(SecurityEvent.SHADOW_API_FIRST_SEEN);
            assertThat(e.message()).contains("POST chatwave.example/api/admin.exportAllUsers");
            assertThat(e.attributes()).containsEntry("label", "SHADOW");
        });
        // inbound (webhook) traffic and unrouted exchanges are not vendor API usage
        live.accept(exchange(Direction.INBOUND, "POST", "/api/other.thing", null, 200));
        live.accept(exchange(Direction.OUTBOUND, "GET", "/api/never.answered", null, 0));
        live.accept(ExchangeEvent.builder("denied", Direction.OUTBOUND).vendor("chatwave").host("chatwave.example")
                .method("GET").path("/api/refused.byGateway").status(403).build());
        assertThat(live.snapshot().operations()).extracting(o -> o.method() + " " + o.path().render())
                .containsExactlyInAnyOrder("GET /api/api.test", "POST /api/admin.exportAllUsers");
        assertThat(live.snapshot().operations().stream().filter(o -> o.path().render().equals("/api/api.test")).findFirst().orElseThrow().queryParams())
                .containsKeys("cursor", "limit");
    }

    @Test
    void queryNamesAreTakenWithoutValues() {
        assertThat(LiveInventory.queryNames("a=1&b=REDACTED&a=2&flag")).containsExactly("a", "b", "flag");
        assertThat(LiveInventory.queryNames(null)).isEmpty();
    }
}

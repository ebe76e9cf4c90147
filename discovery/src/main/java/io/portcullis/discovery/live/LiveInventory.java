package io.portcullis.discovery.live;

import io.portcullis.core.event.Direction;
import io.portcullis.core.event.EventSink;
import io.portcullis.core.event.ExchangeEvent;
import io.portcullis.core.event.PortcullisEvent;
import io.portcullis.core.event.SecurityEvent;
import io.portcullis.core.event.Severity;
import io.portcullis.discovery.diff.CatalogComparison;
import io.portcullis.discovery.diff.Label;
import io.portcullis.discovery.diff.Verdict;
import io.portcullis.discovery.traffic.InventorySnapshot;
import io.portcullis.discovery.traffic.LearnedOperation;
import io.portcullis.discovery.traffic.ObservedRequest;
import io.portcullis.discovery.traffic.TrafficLearner;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The live part of discovery: an event-bus sink that feeds every outbound exchange that reached the
 * vendor into the {@link TrafficLearner}, and announces the first sighting of a shadow or zombie operation as a
 * {@link SecurityEvent} ({@value SecurityEvent#SHADOW_API_FIRST_SEEN}), so it lands in the audit trail.
 *
 * <p>Runs on the bus's consumer thread: the data plane never waits for it. Memory is the learner's,
 * bounded by the number of operations, not requests. Each operation is announced at most once.
 */
public final class LiveInventory implements EventSink {
    private final TrafficLearner learner;
    private final CatalogComparison comparison;
    private final Consumer<SecurityEvent> announce;
    private final Set<String> announced = new HashSet<>();
    private final Consumer<InventorySnapshot> persist;
    private final Consumer<Verdict> labelled;
    private final long persistEveryNanos;
    private long lastPersist = System.nanoTime();
    private long requestsAtLastPersist;

    /**
     * @param comparison the catalog to judge against; null when there is none (then nothing is announced)
     * @param announce   where first sightings go (typically back onto the bus, which never blocks)
     */
    public LiveInventory(TrafficLearner learner, CatalogComparison comparison, Consumer<SecurityEvent> announce) {
        this(learner, comparison, announce, s -> { }, v -> { }, java.time.Duration.ofSeconds(10));
    }

    /**
     * @param persist      receives the inventory at most every {@code persistEvery} when it changed, and at close
     * @param labelled     receives each shadow/zombie verdict when it is first announced (e.g. to label it in the store)
     */
    public LiveInventory(TrafficLearner learner, CatalogComparison comparison, Consumer<SecurityEvent> announce,
                         Consumer<InventorySnapshot> persist, Consumer<Verdict> labelled, java.time.Duration persistEvery) {
        this.learner = learner;
        this.comparison = comparison;
        this.announce = announce;
        this.persist = persist;
        this.labelled = labelled;
        this.persistEveryNanos = persistEvery.toNanos();
    }

    @Override
    public void tick() {
        if (System.nanoTime() - lastPersist >= persistEveryNanos) flush();
    }

    @Override
    public void close() {
        flush();
    }

    /** Hands the inventory to the persister now, if anything was learned since the last time. */
    public void flush() {
        lastPersist = System.nanoTime();
        long requests = learner.requests();
        if (requests == requestsAtLastPersist) return;
        requestsAtLastPersist = requests;
        persist.accept(learner.snapshot());
    }

    @Override
    public String name() {
        return "inventory";
    }

    @Override
    public void accept(PortcullisEvent event) {
        if (!(event instanceof ExchangeEvent e) || e.direction() != Direction.OUTBOUND) return;
        if (e.host() == null || e.vendor() == null || e.status() <= 0 || e.method() == null || e.path() == null) return;
        if (!e.attributes().containsKey(ExchangeEvent.UPSTREAM_PROTOCOL)) return; // refused by the gateway: the vendor never saw it
        var r = new ObservedRequest(e.time().toEpochMilli(), e.host().toLowerCase(Locale.ROOT), e.method(), e.path(),
                queryNames(e.query()), e.status(), null, null, e.app(), List.copyOf(e.dataClasses()), e.authScheme(),
                null, null, e.attributes().get("response.deprecation"), e.attributes().get("response.sunset"));
        if (learner.observe(r) && comparison != null) announceNew(r.host(), e.vendor(), e.api());
    }

    private void announceNew(String host, String vendor, String api) {
        InventorySnapshot snap = learner.snapshot();
        for (LearnedOperation op : snap.operations()) {
            if (!op.host().equals(host)) continue;
            String key = op.host() + ' ' + op.method() + ' ' + op.path().render();
            if (!announced.add(key)) continue;
            Verdict v = comparison.judge(op);
            if (v.label() == Label.SHADOW || v.label() == Label.ZOMBIE) {
                labelled.accept(v);
                announce.accept(SecurityEvent.of(SecurityEvent.SHADOW_API_FIRST_SEEN, Severity.MEDIUM, vendor, api, null,
                        v.label().name().toLowerCase(Locale.ROOT) + " API first seen: " + op.method() + " " + op.host() + op.path().render(),
                        Map.of("label", v.label().name(), "reason", v.reason(), "operation", op.method() + " " + op.path().render(), "host", op.host())));
            }
        }
    }

    /** The inventory learned so far. */
    public InventorySnapshot snapshot() {
        return learner.snapshot();
    }

    static List<String> queryNames(String query) {
        if (query == null || query.isEmpty()) return List.of();
        var out = new ArrayList<String>();
        for (String part : query.split("&")) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (!name.isEmpty() && !out.contains(name)) out.add(name);
        }
        return out;
    }
}

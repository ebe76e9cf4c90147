package io.portcullis.control.store;

import io.portcullis.discovery.traffic.InventorySnapshot;
import io.portcullis.discovery.traffic.LearnedOperation;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes what the live learner knows into the {@link InventoryStore}, as deltas since the last write, so
 * the store's counts are exact however often it is called and survive restarts (they add up across
 * runs). Called from one thread (the event bus consumer).
 */
public final class InventoryWriter {
    private record Key(String host, String method, String template) {}

    private record Written(long requests, Map<Integer, Long> statuses) {}

    private final InventoryStore store;
    private final Map<Key, Written> written = new HashMap<>();

    public InventoryWriter(InventoryStore store) {
        this.store = store;
    }

    /** Upserts every operation (vendor names looked up by host, null when unknown) whose counts changed since the last call; returns how many were written. */
    public int write(InventorySnapshot snapshot, Function<String, String> vendorByHost) {
        int n = 0;
        for (LearnedOperation op : snapshot.operations()) {
            var key = new Key(op.host(), op.method(), op.path().render());
            var before = written.get(key);
            long prevRequests = before == null ? 0 : before.requests();
            if (op.requests() == prevRequests) continue;
            var statuses = new TreeMap<Integer, Long>();
            op.statuses().forEach((code, count) -> {
                long prev = before == null ? 0 : before.statuses().getOrDefault(code, 0L);
                if (count > prev) statuses.put(code, count - prev);
            });
            var contentTypes = new HashSet<String>(op.requestTypes());
            contentTypes.addAll(op.responseTypes());
            store.upsertOperation(new OperationStats(op.host(), op.method(), key.template(), vendorByHost.apply(op.host()),
                    Instant.ofEpochMilli(op.firstSeen()), Instant.ofEpochMilli(op.lastSeen()), op.requests() - prevRequests, statuses,
                    contentTypes, op.queryParams().keySet(),
                    op.requestSchema() == null ? null : op.requestSchema().toString(),
                    op.responseSchema() == null ? null : op.responseSchema().toString(),
                    new HashSet<>(op.dataClasses()), new HashSet<>(op.authSchemes()), new HashSet<>(op.apps())));
            written.put(key, new Written(op.requests(), Map.copyOf(op.statuses())));
            n++;
        }
        return n;
    }
}

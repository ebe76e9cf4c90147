package io.portcullis.discovery.diff;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.discovery.traffic.InventorySnapshot;
import io.portcullis.discovery.traffic.LearnedOperation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Labels learned operations against a {@link Catalog}.
 *
 * <p>Rules, first match wins:
 * <ol>
 *   <li>{@code zombie}: the matched documented operation is deprecated; or the vendor answered with a
 *       {@code Deprecation} or {@code Sunset} header; or the path's version segment is older than the newest version
 *       the catalog documents for the same resource and method (also when the old version is no longer documented).</li>
 *   <li>{@code shadow}: the host is not in the catalog, or no documented operation matches method and path.</li>
 *   <li>{@code drift}: matched, but the observed JSON schema has undocumented fields, fields of another type, or
 *       lacks fields the documentation requires.</li>
 *   <li>{@code documented} otherwise.</li>
 * </ol>
 * A documented operation is an {@code orphan} when no learned operation matched it with a last use inside the window
 * ending at the reference time. Stateless and thread-safe.
 */
public final class CatalogComparison {
    private static final int MAX_DRIFT = 8;

    private final Catalog catalog;
    private final Duration orphanWindow;

    public CatalogComparison(Catalog catalog, Duration orphanWindow) {
        this.catalog = catalog;
        this.orphanWindow = orphanWindow;
    }

    /**
     * @param referenceMillis end of the orphan window (usually the latest observed timestamp or now)
     */
    public Comparison compare(InventorySnapshot inventory, long referenceMillis) {
        List<Verdict> verdicts = new ArrayList<>();
        IdentityHashMap<CatalogOperation, Long> used = new IdentityHashMap<>();
        for (LearnedOperation op : inventory.operations()) {
            Verdict v = judge(op);
            verdicts.add(v);
            if (v.matched() != null) used.merge(v.matched(), op.lastSeen() == 0 ? Long.MAX_VALUE : op.lastSeen(), Math::max);
        }
        List<Orphan> orphans = new ArrayList<>();
        long cutoff = referenceMillis - orphanWindow.toMillis();
        for (CatalogOperation c : catalog.operations()) {
            Long last = used.get(c);
            if (last == null) {
                orphans.add(new Orphan(c, 0, "no traffic observed for " + c.label() + " on " + c.host()));
            } else if (last != Long.MAX_VALUE && last < cutoff) {
                orphans.add(new Orphan(c, last, "last used " + Instant.ofEpochMilli(last) + ", more than "
                        + orphanWindow.toDays() + " days before " + Instant.ofEpochMilli(referenceMillis)));
            }
        }
        return new Comparison(List.copyOf(verdicts), List.copyOf(orphans));
    }

    /** Labels one learned operation. */
    public Verdict judge(LearnedOperation op) {
        String where = op.method() + " " + op.path().render();
        PathTrie<CatalogOperation> trie = catalog.trie(op.host());
        CatalogOperation matched = trie == null ? null : trie.match(op.path(), op.method());
        List<String> drift = matched == null ? List.of() : drift(op, matched);
        if (matched != null && matched.deprecated()) {
            return new Verdict(op, Label.ZOMBIE, where + " is marked deprecated in " + matched.source()
                    + (matched.operationId() == null ? "" : " (" + matched.operationId() + ")"), matched, drift);
        }
        if (op.deprecation() != null || op.sunset() != null) {
            String hdr = op.deprecation() != null ? "Deprecation: " + op.deprecation() : "Sunset: " + op.sunset();
            return new Verdict(op, Label.ZOMBIE, "the vendor answers " + where + " with '" + hdr + "'", matched, drift);
        }
        Catalog.ResourceKey key = Catalog.ResourceKey.of(op.host(), op.method(), op.path());
        CatalogOperation newer = catalog.newerVersion(key);
        if (newer != null) {
            return new Verdict(op, Label.ZOMBIE, "version " + key.version().text() + " of " + where + " is superseded by "
                    + newer.label() + " in " + newer.source(), matched, drift);
        }
        if (trie == null) {
            return new Verdict(op, Label.SHADOW, "host " + op.host() + " is not in the catalog", null, List.of());
        }
        if (matched == null) {
            Map<String, CatalogOperation> other = trie.methodsAt(op.path());
            String reason = other.isEmpty()
                    ? where + " is not documented for " + op.host()
                    : where + " is not documented (the path is documented for " + String.join(", ", new java.util.TreeSet<>(other.keySet())) + ")";
            return new Verdict(op, Label.SHADOW, reason, null, List.of());
        }
        if (!drift.isEmpty()) {
            return new Verdict(op, Label.DRIFT, where + " differs from " + matched.source() + ": " + String.join("; ", drift), matched, drift);
        }
        return new Verdict(op, Label.DOCUMENTED, "matches " + matched.label() + " in " + matched.source(), matched, drift);
    }

    private static List<String> drift(LearnedOperation op, CatalogOperation doc) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (doc.response() != null && op.responseSchema() != null) compare("response", op.responseSchema(), doc.response(), out, 0);
        if (doc.request() != null && op.requestSchema() != null) compare("request", op.requestSchema(), doc.request(), out, 0);
        List<String> l = new ArrayList<>(out);
        return l.size() > MAX_DRIFT ? List.copyOf(l.subList(0, MAX_DRIFT)) : List.copyOf(l);
    }

    private static void compare(String at, JsonNode observed, DocumentedSchema doc, Set<String> out, int depth) {
        if (depth > 6 || out.size() > MAX_DRIFT) return;
        Set<String> seen = types(observed);
        if (!doc.types().isEmpty() && !seen.isEmpty()) {
            Set<String> extra = new HashSet<>(seen);
            extra.removeAll(doc.types());
            if (doc.types().contains("number")) extra.remove("integer");
            if (!extra.isEmpty()) out.add(at + " is " + String.join("/", new java.util.TreeSet<>(extra)) + ", documented "
                    + String.join("/", new java.util.TreeSet<>(doc.types())));
        }
        JsonNode props = observed.path("properties");
        if (props.isObject()) {
            for (Map.Entry<String, JsonNode> e : props.properties()) {
                DocumentedSchema d = doc.properties().get(e.getKey());
                if (d == null) {
                    if (!doc.openProperties()) out.add(at + "." + e.getKey() + " is not documented");
                } else {
                    compare(at + "." + e.getKey(), e.getValue(), d, out, depth + 1);
                }
            }
            if (seen.contains("object")) {
                for (String req : doc.required()) {
                    if (!props.has(req)) out.add(at + "." + req + " is required by the spec but never observed");
                }
            }
        }
        JsonNode items = observed.path("items");
        if (items.isObject() && doc.items() != null) compare(at + "[]", items, doc.items(), out, depth + 1);
    }

    private static Set<String> types(JsonNode schema) {
        JsonNode t = schema.path("type");
        Set<String> s = new HashSet<>();
        if (t.isTextual()) s.add(t.asText());
        else for (JsonNode x : t) s.add(x.asText());
        return s;
    }
}

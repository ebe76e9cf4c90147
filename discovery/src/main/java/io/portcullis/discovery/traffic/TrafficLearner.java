package io.portcullis.discovery.traffic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns the operations {@code (host, method, path template)} of third-party APIs from observed requests.
 *
 * <p>How: each host has a trie of path segments. A segment is typed on arrival by {@link SegmentTyper}: values
 * (integers, UUIDs, prefixed and opaque IDs, dates, e-mails, with file suffixes such as {@code {sid}.json} kept
 * apart) go to the position's parameter child at once; words and version markers stay constant children, so a
 * static route beside a parameter ({@code /customers/search} next to {@code /customers/{id}}) stays separate.
 * Sibling evidence turns words into a parameter too: a position with at least {@value #SIBLING_MIN} distinct
 * constant children that account for at least half the requests through it (user names, slugs) becomes a
 * parameter when the inventory is read, keeping only the children that carry at least a tenth of its traffic;
 * RPC-style method names ({@code chat.postMessage}) are never collapsed this way.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Memory is bounded by operations, not requests: every per-operation collection is capped
 *       ({@link LearnerLimits}), a position with more than {@code maxLiteralsPerNode} constant children is turned
 *       into a parameter, and a host with more than {@code maxOperationsPerHost} templates is collapsed (its widest
 *       positions become parameters until it is back under half the limit) and reported in
 *       {@link InventorySnapshot#collapsedHosts()}. Requests to hosts past {@code maxHosts} are counted, not kept.</li>
 *   <li>No credential, query value or body value is retained: only names, types and counts.</li>
 *   <li>Thread-safe: {@link #observe} and {@link #snapshot} are {@code synchronized}, so one learner can be fed by one
 *       consumer thread (the gateway's event bus) while another reads snapshots. Feeding it from many threads works
 *       but serialises them; give each producer its own learner if that matters.</li>
 * </ul>
 */
public final class TrafficLearner {
    static final int SIBLING_MIN = 20;

    private final LearnerLimits limits;
    private final HashMap<String, HostTrie> hosts = new HashMap<>();
    private long requests;
    private long dropped;

    public TrafficLearner() {
        this(LearnerLimits.defaults());
    }

    public TrafficLearner(LearnerLimits limits) {
        this.limits = limits;
    }

    private static final class HostTrie {
        final String host;
        final Node root = new Node();
        int operations;
        int collapsedFrom;

        HostTrie(String host) {
            this.host = host;
        }
    }

    private static final class Node {
        HashMap<String, Node> literals;
        HashMap<String, Node> params; // keyed by file suffix ("" for none)
        Node plainParam; // params.get(""), kept in a field for the hot path
        int kinds;
        long through;
        boolean valueSlot;
        String idPrefix; // type prefix of prefixed IDs seen at this parameter, e.g. "cus_"
        HashMap<String, OperationStats> ops;
        // the first two methods seen, kept in fields: the per-request lookup then touches no map
        String method1, method2;
        OperationStats stats1, stats2;

        OperationStats stats(String method) {
            if (method.equals(method1)) return stats1;
            if (method.equals(method2)) return stats2;
            return ops == null || method1 == null || method2 == null ? null : ops.get(method);
        }

        void cache(String method, OperationStats s) {
            if (method1 == null) {
                method1 = method;
                stats1 = s;
            } else if (method2 == null) {
                method2 = method;
                stats2 = s;
            }
        }

        /** Rebuilds the field cache after {@link #ops} was changed by a merge. */
        void recache() {
            method1 = method2 = null;
            stats1 = stats2 = null;
            if (ops != null) ops.forEach(this::cache);
        }
    }

    /**
     * Learns from one request. This is the entry point for a live feed (the gateway's event bus): call it once per
     * exchange, from one consumer thread or several.
     *
     * @return {@code true} when this request created an operation the learner had not seen (a first sighting, e.g.
     *         for an audit event); later collapsing may still merge it into a wider template
     */
    public synchronized boolean observe(ObservedRequest r) {
        String host = r.host().toLowerCase(Locale.ROOT);
        HostTrie h = hosts.get(host);
        if (h == null) {
            if (hosts.size() >= limits.maxHosts()) {
                dropped++;
                return false;
            }
            h = new HostTrie(host);
            hosts.put(host, h);
        }
        requests++;
        Node n = h.root;
        n.through++;
        String path = r.path();
        int len = path.length();
        int q = path.indexOf('?');
        if (q >= 0) len = q;
        int i = 0;
        int index = 0;
        String prev = null;
        boolean afterParam = false;
        while (i < len) {
            int slash = path.indexOf('/', i);
            int end = slash < 0 || slash > len ? len : slash;
            if (end == i) {
                i++;
                continue;
            }
            Node child;
            String seg;
            if (index == limits.maxSegments() - 1 && end < len && hasSegmentAfter(path, end, len)) {
                seg = path.substring(i, len);
                child = paramChild(n, "", SegmentKind.VALUE);
                end = len;
            } else {
                seg = path.substring(i, end);
                int dot = SegmentTyper.suffixStart(seg);
                String stem = dot >= 0 ? seg.substring(0, dot) : seg;
                SegmentKind kind = SegmentTyper.classify(stem, index, prev, afterParam);
                if (kind.literal()) {
                    child = n.literals == null ? null : n.literals.get(seg);
                    if (child == null) {
                        if (!n.valueSlot && (n.literals == null || n.literals.size() < limits.maxLiteralsPerNode())) {
                            child = new Node();
                            if (n.literals == null) n.literals = new HashMap<>(4);
                            n.literals.put(seg, child);
                        } else {
                            if (!n.valueSlot) {
                                collapse(n, true);
                                h.operations = countOperations(h.root);
                            }
                            child = paramChild(n, dot >= 0 ? seg.substring(dot) : "", SegmentKind.VALUE);
                            afterParam = true;
                        }
                    }
                } else {
                    child = paramChild(n, dot >= 0 ? seg.substring(dot) : "", kind);
                    if (kind == SegmentKind.PREFIXED_ID && child.idPrefix == null) {
                        int us = stem.indexOf('_');
                        if (us > 0) child.idPrefix = stem.substring(0, us + 1);
                    }
                    afterParam = true;
                }
            }
            child.through++;
            n = child;
            prev = seg;
            index++;
            i = end + 1;
        }
        String method = r.method();
        OperationStats stats = n.stats(method);
        boolean created = stats == null;
        if (stats == null) {
            stats = new OperationStats();
            if (n.ops == null) n.ops = new HashMap<>(2);
            n.ops.put(method, stats);
            n.cache(method, stats);
            h.operations++;
        }
        stats.record(r, limits);
        if (h.operations > limits.maxOperationsPerHost()) shrink(h);
        return created;
    }

    private static boolean hasSegmentAfter(String path, int from, int len) {
        for (int j = from; j < len; j++) if (path.charAt(j) != '/') return true;
        return false;
    }

    private static Node paramChild(Node n, String suffix, SegmentKind kind) {
        Node p = suffix.isEmpty() ? n.plainParam : null;
        if (p == null) {
            if (n.params == null) n.params = new HashMap<>(2);
            p = n.params.get(suffix);
            if (p == null) {
                p = new Node();
                n.params.put(suffix, p);
            }
            if (suffix.isEmpty()) n.plainParam = p;
        }
        p.kinds |= kind.bit();
        return p;
    }

    /** Turns a position's constant children into its parameter; stable children (>= 10% of traffic) may stay. */
    private void collapse(Node n, boolean keepStable) {
        n.valueSlot = true;
        if (n.literals == null) return;
        Iterator<Map.Entry<String, Node>> it = n.literals.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Node> e = it.next();
            Node child = e.getValue();
            if (keepStable && child.through >= 5 && child.through * 10 >= n.through) continue;
            it.remove();
            int dot = SegmentTyper.suffixStart(e.getKey());
            Node slot = paramChild(n, dot >= 0 ? e.getKey().substring(dot) : "", SegmentKind.VALUE);
            merge(slot, child);
        }
        if (n.literals.isEmpty()) n.literals = null;
    }

    private void merge(Node into, Node from) {
        into.through += from.through;
        into.kinds |= from.kinds;
        into.valueSlot |= from.valueSlot;
        if (into.idPrefix == null) into.idPrefix = from.idPrefix;
        if (from.literals != null) {
            for (Map.Entry<String, Node> e : from.literals.entrySet()) {
                if (into.literals == null) into.literals = new HashMap<>(4);
                Node existing = into.literals.get(e.getKey());
                if (existing == null) into.literals.put(e.getKey(), e.getValue());
                else merge(existing, e.getValue());
            }
        }
        if (from.params != null) {
            for (Map.Entry<String, Node> e : from.params.entrySet()) {
                if (into.params == null) into.params = new HashMap<>(2);
                Node existing = into.params.get(e.getKey());
                if (existing == null) {
                    into.params.put(e.getKey(), e.getValue());
                    if (e.getKey().isEmpty()) into.plainParam = e.getValue();
                } else {
                    merge(existing, e.getValue());
                }
            }
        }
        if (from.ops != null) {
            if (into.ops == null) into.ops = new HashMap<>(2);
            for (Map.Entry<String, OperationStats> e : from.ops.entrySet()) {
                OperationStats existing = into.ops.get(e.getKey());
                if (existing == null) into.ops.put(e.getKey(), e.getValue());
                else existing.merge(e.getValue(), limits);
            }
            into.recache();
        }
    }

    private static int countOperations(Node n) {
        int c = n.ops == null ? 0 : n.ops.size();
        if (n.literals != null) for (Node k : n.literals.values()) c += countOperations(k);
        if (n.params != null) for (Node k : n.params.values()) c += countOperations(k);
        return c;
    }

    /** Host explosion guard: collapse the widest positions until the host is under half its template limit. */
    private void shrink(HostTrie h) {
        h.collapsedFrom = Math.max(h.collapsedFrom, h.operations);
        int target = limits.maxOperationsPerHost() / 2;
        while (h.operations > target) {
            Node widest = widest(h.root, null);
            if (widest == null) break;
            collapse(widest, false);
            h.operations = countOperations(h.root);
        }
    }

    private static Node widest(Node n, Node best) {
        if (n.literals != null && n.literals.size() >= 2 && (best == null || n.literals.size() > best.literals.size())) {
            best = n;
        }
        if (n.literals != null) for (Node k : n.literals.values()) best = widest(k, best);
        if (n.params != null) for (Node k : n.params.values()) best = widest(k, best);
        return best;
    }

    /** Requests learned so far (excluding dropped ones). */
    public synchronized long requests() {
        return requests;
    }

    /**
     * The current inventory. Applies the sibling-evidence rule first (which may permanently merge constant children
     * into a parameter), then lists every operation.
     */
    public synchronized InventorySnapshot snapshot() {
        List<LearnedOperation> out = new ArrayList<>();
        Map<String, Integer> collapsed = new TreeMap<>();
        for (HostTrie h : hosts.values()) {
            applySiblingEvidence(h.root);
            h.operations = countOperations(h.root);
            render(h.host, h.root, new ArrayList<>(), new ArrayList<>(), out);
            if (h.collapsedFrom > 0) collapsed.put(h.host, h.collapsedFrom);
        }
        out.sort(Comparator.comparing(LearnedOperation::host).thenComparing(o -> o.path().render())
                .thenComparing(LearnedOperation::method));
        return new InventorySnapshot(requests, List.copyOf(out), Map.copyOf(collapsed), dropped);
    }

    private void applySiblingEvidence(Node n) {
        // a constant beside a prefixed-ID parameter that carries the same type prefix ("cus_abcdefghijkl" beside
        // {cus_…}) is one more ID whose random part happened to look like a word
        if (n.literals != null && n.params != null) {
            for (Map.Entry<String, Node> pe : n.params.entrySet()) {
                String prefix = pe.getValue().idPrefix;
                if (prefix == null) continue;
                Iterator<Map.Entry<String, Node>> it = n.literals.entrySet().iterator();
                while (it.hasNext()) {
                    Map.Entry<String, Node> e = it.next();
                    String key = e.getKey();
                    if (key.startsWith(prefix) && key.endsWith(pe.getKey()) && key.length() >= prefix.length() + pe.getKey().length() + 8) {
                        it.remove();
                        merge(pe.getValue(), e.getValue());
                    }
                }
            }
            if (n.literals.isEmpty()) n.literals = null;
        }
        if (n.literals != null && n.literals.size() >= SIBLING_MIN && n.literals.size() * 2L >= n.through) {
            int dotted = 0;
            for (String k : n.literals.keySet()) if (isMethodName(k)) dotted++;
            if (dotted * 2 < n.literals.size()) collapse(n, true);
        }
        if (n.literals != null) for (Node k : n.literals.values()) applySiblingEvidence(k);
        if (n.params != null) for (Node k : n.params.values()) applySiblingEvidence(k);
    }

    /** RPC method names look like {@code chat.postMessage} or {@code conversations.list}: letters, a dot, letters. */
    private static boolean isMethodName(String s) {
        int dot = s.indexOf('.');
        return dot > 0 && dot < s.length() - 1 && Character.isLetter(s.charAt(dot - 1)) && Character.isLetter(s.charAt(dot + 1))
                && SegmentTyper.suffixStart(s) < 0;
    }

    private void render(String host, Node n, ArrayList<PathTemplate.Segment> segs, ArrayList<String> names,
                        List<LearnedOperation> out) {
        if (n.ops != null) {
            PathTemplate t = new PathTemplate(segs);
            for (Map.Entry<String, OperationStats> e : n.ops.entrySet()) {
                out.add(e.getValue().toOperation(host, e.getKey(), t));
            }
        }
        if (n.literals != null) {
            for (Map.Entry<String, Node> e : n.literals.entrySet()) {
                segs.add(new PathTemplate.Literal(e.getKey()));
                render(host, e.getValue(), segs, names, out);
                segs.removeLast();
            }
        }
        if (n.params != null) {
            for (Map.Entry<String, Node> e : n.params.entrySet()) {
                Node child = e.getValue();
                Set<SegmentKind> kinds = kindsOf(child.kinds);
                String name = parameterName(segs, kinds, names);
                names.add(name);
                segs.add(new PathTemplate.Param(name, kinds, "", e.getKey()));
                render(host, child, segs, names, out);
                segs.removeLast();
                names.removeLast();
            }
        }
    }

    private static Set<SegmentKind> kindsOf(int bits) {
        EnumSet<SegmentKind> set = EnumSet.noneOf(SegmentKind.class);
        for (SegmentKind k : SegmentKind.values()) if ((bits & k.bit()) != 0) set.add(k);
        return set;
    }

    /** {@code customers} gives {@code customerId}; dates and e-mails are named for what they are. */
    static String parameterName(List<PathTemplate.Segment> before, Set<SegmentKind> kinds, List<String> used) {
        String base;
        if (kinds.equals(Set.of(SegmentKind.DATE))) {
            base = "date";
        } else if (kinds.equals(Set.of(SegmentKind.EMAIL))) {
            base = "email";
        } else {
            String prevWord = null;
            if (!before.isEmpty() && before.getLast() instanceof PathTemplate.Literal l) prevWord = l.value();
            if (prevWord == null) {
                base = "param";
            } else {
                int dot = SegmentTyper.suffixStart(prevWord);
                if (dot >= 0) prevWord = prevWord.substring(0, dot);
                base = singular(camel(prevWord));
                if (!kinds.equals(Set.of(SegmentKind.VALUE))) base = base + "Id";
                if (base.isEmpty() || !Character.isLetter(base.charAt(0))) base = "param";
            }
        }
        String name = base;
        Set<String> taken = new HashSet<>(used);
        for (int k = 2; taken.contains(name); k++) name = base + k;
        return name;
    }

    private static String camel(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean up = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '_' || c == '-' || c == '.' || c == ' ') {
                up = sb.length() > 0;
            } else if (Character.isLetterOrDigit(c)) {
                sb.append(up ? Character.toUpperCase(c) : sb.isEmpty() ? Character.toLowerCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    private static String singular(String w) {
        if (w.endsWith("ies") && w.length() > 4) return w.substring(0, w.length() - 3) + "y";
        if (w.endsWith("sses")) return w.substring(0, w.length() - 2);
        if (w.endsWith("s") && !w.endsWith("ss") && w.length() > 3) return w.substring(0, w.length() - 1);
        return w;
    }

    /** Per-host operation counts, for diagnostics. */
    public synchronized Map<String, Integer> operationsPerHost() {
        LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
        hosts.forEach((k, v) -> m.put(k, v.operations));
        return m;
    }
}

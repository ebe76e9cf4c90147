package io.portcullis.discovery.diff;

import io.portcullis.discovery.traffic.PathTemplate;
import io.portcullis.discovery.traffic.SegmentKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Documented path templates of one host, for matching learned templates. Constants are tried before parameters at
 * every position, with backtracking, so {@code /customers/search} matches a documented {@code /customers/search}
 * before {@code /customers/{id}}. A learned parameter matches only a documented parameter with the same file suffix;
 * a learned constant matches a documented constant or a parameter whose prefix/suffix fit around it.
 * Not thread-safe for writes; reads after construction are safe.
 */
final class PathTrie<T> {
    private final Node<T> root = new Node<>();

    private static final class Node<T> {
        final Map<String, Node<T>> literals = new HashMap<>();
        final List<ParamEdge<T>> params = new ArrayList<>();
        final Map<String, T> methods = new HashMap<>();
    }

    /** A documented parameter position; {@code valueKinds} is what its documented values look like (empty = unknown). */
    private record ParamEdge<T>(String prefix, String suffix, Node<T> node, java.util.EnumSet<SegmentKind> valueKinds,
                                boolean[] unknown) {
    }

    void insert(PathTemplate template, String method, T value) {
        Node<T> n = root;
        for (PathTemplate.Segment s : template.segments()) {
            if (s instanceof PathTemplate.Literal l) {
                n = n.literals.computeIfAbsent(l.value(), k -> new Node<>());
            } else if (s instanceof PathTemplate.Param p) {
                Node<T> next = null;
                for (ParamEdge<T> e : n.params) {
                    if (e.prefix().equals(p.prefix()) && e.suffix().equals(p.suffix())) {
                        next = e.node();
                        if (p.kinds().isEmpty()) e.unknown()[0] = true;
                        else e.valueKinds().addAll(p.kinds());
                    }
                }
                if (next == null) {
                    next = new Node<>();
                    java.util.EnumSet<SegmentKind> kinds = java.util.EnumSet.noneOf(SegmentKind.class);
                    kinds.addAll(p.kinds());
                    n.params.add(new ParamEdge<>(p.prefix(), p.suffix(), next, kinds, new boolean[] {p.kinds().isEmpty()}));
                    // longer (more specific) prefix/suffix first
                    n.params.sort((a, b) -> Integer.compare(b.prefix().length() + b.suffix().length(), a.prefix().length() + a.suffix().length()));
                }
                n = next;
            }
        }
        n.methods.putIfAbsent(method, value);
    }

    /** The documented value for this method and path, or {@code null}. */
    T match(PathTemplate template, String method) {
        return match(root, template.segments(), 0, method);
    }

    /** Methods documented for a path matching {@code template} (any method), or an empty map. */
    Map<String, T> methodsAt(PathTemplate template) {
        Map<String, T> found = new HashMap<>();
        collect(root, template.segments(), 0, found);
        return found;
    }

    private T match(Node<T> n, List<PathTemplate.Segment> segs, int i, String method) {
        if (i == segs.size()) return n.methods.get(method);
        PathTemplate.Segment s = segs.get(i);
        if (s instanceof PathTemplate.Literal l) {
            Node<T> next = n.literals.get(l.value());
            if (next != null) {
                T r = match(next, segs, i + 1, method);
                if (r != null) return r;
            }
            for (ParamEdge<T> e : n.params) {
                if (fits(l.value(), e)) {
                    T r = match(e.node(), segs, i + 1, method);
                    if (r != null) return r;
                }
            }
        } else if (s instanceof PathTemplate.Param p) {
            for (ParamEdge<T> e : n.params) {
                if (e.suffix().equals(p.suffix()) && e.prefix().equals(p.prefix())) {
                    T r = match(e.node(), segs, i + 1, method);
                    if (r != null) return r;
                }
            }
        }
        return null;
    }

    private void collect(Node<T> n, List<PathTemplate.Segment> segs, int i, Map<String, T> found) {
        if (i == segs.size()) {
            n.methods.forEach(found::putIfAbsent);
            return;
        }
        PathTemplate.Segment s = segs.get(i);
        if (s instanceof PathTemplate.Literal l) {
            Node<T> next = n.literals.get(l.value());
            if (next != null) collect(next, segs, i + 1, found);
            for (ParamEdge<T> e : n.params) if (fits(l.value(), e)) collect(e.node(), segs, i + 1, found);
        } else if (s instanceof PathTemplate.Param p) {
            for (ParamEdge<T> e : n.params) {
                if (e.suffix().equals(p.suffix()) && e.prefix().equals(p.prefix())) collect(e.node(), segs, i + 1, found);
            }
        }
    }

    /**
     * Whether a learned constant can fill a documented parameter: the text must fit around the prefix/suffix, and
     * when the documentation says what the values look like (an integer, a UUID, an ID like its example), a word
     * such as {@code search} does not fill it: {@code /charges/search} is then a separate, undocumented route.
     */
    private static boolean fits(String value, ParamEdge<?> e) {
        if (!(value.length() > e.prefix().length() + e.suffix().length() && value.startsWith(e.prefix())
                && value.endsWith(e.suffix()))) {
            return false;
        }
        if (e.unknown()[0] || e.valueKinds().contains(SegmentKind.WORD) || e.valueKinds().contains(SegmentKind.VALUE)) return true;
        return e.valueKinds().isEmpty();
    }
}

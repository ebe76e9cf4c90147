package io.portcullis.inspect.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the operation for a method and a concrete path among OpenAPI path templates.
 *
 * <p>A trie over path segments. At each segment a constant wins over a partly templated segment
 * ({@code {name}.json}), which wins over a whole-segment parameter ({@code {id}}); the search backtracks, so
 * {@code /v1/customers/search} finds its constant template and {@code /v1/customers/cus_1} the parameter one.
 * Lookup is linear in the number of segments times the branching it must backtrack over (bounded by the
 * spec, not by the request). Written by hand: no maintained library does OpenAPI template matching without a
 * web framework.
 *
 * @param <T> what an operation maps to
 */
final class OperationRouter<T> {
    private final Node<T> root = new Node<>();

    /** Adds a template; returns false when the method and template (up to parameter names) are already present. */
    boolean add(String method, String template, T value) {
        Node<T> n = root;
        for (String seg : segments(template)) {
            int open = seg.indexOf('{');
            if (open < 0) {
                n = n.constants.computeIfAbsent(seg, k -> new Node<>());
            } else if (open == 0 && seg.indexOf('}') == seg.length() - 1 && seg.indexOf('{', 1) < 0) {
                if (n.parameter == null) n.parameter = new Node<>();
                n = n.parameter;
            } else {
                String regex = toRegex(seg);
                Node<T> found = null;
                for (var m : n.mixed) if (m.regex.equals(regex)) found = m.node;
                if (found == null) {
                    found = new Node<>();
                    n.mixed.add(new Mixed<>(regex, Pattern.compile(regex), found));
                }
                n = found;
            }
        }
        return n.methods.putIfAbsent(method.toUpperCase(Locale.ROOT), value) == null;
    }

    /** The value for a method and a concrete path (no query string), or null. */
    T find(String method, String path) {
        List<String> segs = segments(path);
        return find(root, segs, 0, method.toUpperCase(Locale.ROOT));
    }

    private T find(Node<T> n, List<String> segs, int i, String method) {
        if (i == segs.size()) return n.methods.get(method);
        String seg = segs.get(i);
        Node<T> c = n.constants.get(seg);
        if (c != null) {
            T v = find(c, segs, i + 1, method);
            if (v != null) return v;
        }
        for (var m : n.mixed) {
            if (m.pattern.matcher(seg).matches()) {
                T v = find(m.node, segs, i + 1, method);
                if (v != null) return v;
            }
        }
        if (n.parameter != null && !seg.isEmpty()) {
            return find(n.parameter, segs, i + 1, method);
        }
        return null;
    }

    static List<String> segments(String path) {
        var out = new ArrayList<String>();
        int start = path.startsWith("/") ? 1 : 0;
        if (start >= path.length()) return out;
        for (String s : path.substring(start).split("/", -1)) out.add(s);
        if (out.size() > 1 && out.getLast().isEmpty()) out.removeLast(); // tolerate one trailing slash
        return out;
    }

    private static String toRegex(String seg) {
        var sb = new StringBuilder();
        int i = 0;
        while (i < seg.length()) {
            int open = seg.indexOf('{', i);
            if (open < 0) {
                sb.append(Pattern.quote(seg.substring(i)));
                break;
            }
            if (open > i) sb.append(Pattern.quote(seg.substring(i, open)));
            int close = seg.indexOf('}', open);
            if (close < 0) {
                sb.append(Pattern.quote(seg.substring(open)));
                break;
            }
            sb.append("[^/]+?");
            i = close + 1;
        }
        return sb.toString();
    }

    private static final class Node<T> {
        final Map<String, Node<T>> constants = new HashMap<>();
        final List<Mixed<T>> mixed = new ArrayList<>();
        Node<T> parameter;
        final Map<String, T> methods = new HashMap<>();
    }

    private record Mixed<T>(String regex, Pattern pattern, Node<T> node) {
    }
}

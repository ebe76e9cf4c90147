package io.portcullis.discovery.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps package or module names to vendors. A pattern is an exact name, or a prefix ending in {@code *}.
 * With a separator, an exact pattern also matches any name that continues it after the separator
 * ({@code com.stripe} matches {@code com.stripe.model.Charge} but not {@code com.stripeish}).
 * Lookups are memoised (bounded) because a code base repeats the same few hundred names millions of times.
 */
final class NameIndex {
    private static final int CACHE_LIMIT = 50_000;
    private static final Optional<Vendor> NONE = Optional.empty();

    private final Map<String, Vendor> exact = new HashMap<>();
    private final List<Map.Entry<String, Vendor>> prefixes = new ArrayList<>();
    private final char separator; // 0 = none
    private final ConcurrentHashMap<String, Optional<Vendor>> cache = new ConcurrentHashMap<>();

    NameIndex(char separator) {
        this.separator = separator;
    }

    void add(String pattern, Vendor vendor) {
        if (pattern.isEmpty() || pattern.equals("*")) {
            throw new IllegalArgumentException("vendor '" + vendor.id() + "': empty package pattern");
        }
        if (pattern.endsWith("*")) {
            prefixes.add(Map.entry(pattern.substring(0, pattern.length() - 1), vendor));
        } else {
            Vendor previous = exact.putIfAbsent(pattern, vendor);
            if (previous != null && previous != vendor) {
                throw new IllegalArgumentException("pattern '" + pattern + "' is listed by both '" + previous.id() + "' and '" + vendor.id() + "'");
            }
        }
    }

    Optional<Vendor> lookup(String name) {
        Optional<Vendor> hit = cache.get(name);
        if (hit != null) {
            return hit;
        }
        hit = compute(name);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(name, hit);
        return hit;
    }

    private Optional<Vendor> compute(String name) {
        Vendor v = exact.get(name);
        if (v != null) {
            return Optional.of(v);
        }
        if (separator != 0) {
            for (int cut = name.lastIndexOf(separator); cut > 0; cut = name.lastIndexOf(separator, cut - 1)) {
                v = exact.get(name.substring(0, cut));
                if (v != null) {
                    return Optional.of(v);
                }
            }
        }
        Vendor best = null;
        int bestLength = -1;
        for (Map.Entry<String, Vendor> p : prefixes) {
            if (name.startsWith(p.getKey()) && p.getKey().length() > bestLength) {
                best = p.getValue();
                bestLength = p.getKey().length();
            }
        }
        return best == null ? NONE : Optional.of(best);
    }
}

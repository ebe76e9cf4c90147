package io.portcullis.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which sensitive data may go to one vendor API, and what happens to the rest. Read from the
 * {@code dataPolicy:} section of an API:
 *
 * <pre>{@code
 * dataPolicy:
 *   action: block                 # for data that is not allowed: alert | redact | block (default alert)
 *   allow:                        # what this API may receive; anything else is a violation
 *     - class: PCI                # PCI | PII | SECRET | CUSTOM
 *       types: [CREDIT_CARD_NUMBER]          # optional: only these types of the class (default: all)
 *       paths: ["$.card.number", "card[number]", "$.items[*].card.*"]   # optional: only here (default: anywhere)
 *     - class: PII
 *       types: [EMAIL_ADDRESS]
 *   actions:                      # optional overrides per class or type (type wins over class)
 *     SECRET: block
 *     EMAIL_ADDRESS: redact
 *   detectors:                    # optional custom detectors
 *     - type: EMPLOYEE_ID         # UPPER_SNAKE
 *       pattern: 'EMP-[0-9]{6}'   # RE2 syntax (linear time: no backreferences or lookaround)
 *       keywords: [employee]      # optional: one must appear within 64 bytes before a match
 *       validator: none           # none | luhn | verhoeff | mod97
 *       class: CUSTOM             # class reported (default CUSTOM)
 * }</pre>
 *
 * Paths: {@code $.a.b} JSON paths, {@code [*]} any array index, {@code *} any one name, {@code **} anything;
 * form and query fields by name ({@code card[number]}, {@code query.email}), headers as {@code header.Name}.
 * An API without a {@code dataPolicy} alerts on every finding, so the data-flow record is complete.
 *
 * @param action     action for violations without an override
 * @param allow      allowed data
 * @param overrides  action per class name or type name
 * @param detectors  custom detectors
 */
public record DataPolicy(Action action, List<Allow> allow, Map<String, Action> overrides, List<Detector> detectors) {
    public DataPolicy {
        allow = List.copyOf(allow);
        overrides = Map.copyOf(overrides);
        detectors = List.copyOf(detectors);
    }

    /** The policy of an API without a data_policy: nothing is allowed, every finding raises an alert. */
    public static final DataPolicy ALERT_ON_EVERYTHING = new DataPolicy(Action.ALERT, List.of(), Map.of(), List.of());

    /**
     * What a violation does. {@code OFF} is only a whole-API setting ({@code action: off} or the shorthand
     * {@code dataPolicy: off}): the API is not inspected at all and its audit records carry no data classes.
     */
    public enum Action { ALERT, REDACT, BLOCK, OFF }

    /** The policy of an API written {@code dataPolicy: off}: nothing is inspected. */
    public static final DataPolicy OFF = new DataPolicy(Action.OFF, List.of(), Map.of(), List.of());

    /** Whether this API's outbound data is not inspected at all. */
    public boolean off() {
        return action == Action.OFF;
    }

    /**
     * Reads {@code dataPolicy:} as a mapping, or the scalar {@code off}; anything else is an error at its
     * line:column.
     */
    public static DataPolicy read(ConfigNode n) {
        if (n.isOff()) return OFF;
        if (n.isScalar()) {
            n.error("dataPolicy must be a mapping or 'off'", "write 'dataPolicy: off' or a mapping such as '{action: alert}'");
            return null;
        }
        return read(n.asMapping());
    }

    /** Allowed data: a class, optionally narrowed to types and to paths. */
    public record Allow(String dataClass, List<String> types, List<String> paths) {
        public Allow {
            types = List.copyOf(types);
            paths = List.copyOf(paths);
        }
    }

    /** A custom detector as configured; the pattern is compiled by the DLP engine (RE2/J). */
    public record Detector(String type, String pattern, List<String> keywords, String validator, String dataClass) {
        public Detector {
            keywords = List.copyOf(keywords);
        }
    }

    static final Set<String> CLASSES = Set.of("PCI", "PII", "SECRET", "CUSTOM");
    static final Set<String> VALIDATORS = Set.of("none", "luhn", "verhoeff", "mod97");
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    /** RE2 rejects these; catching them here gives a located error instead of a failure at compile time. */
    private static final Pattern NOT_RE2 = Pattern.compile("\\(\\?[=!]|\\(\\?<[=!]|\\\\[1-9]|\\(\\?>|[*+?}]\\+");
    /** Longest custom pattern accepted. */
    public static final int MAX_PATTERN = 1000;

    /** Reads the section; every problem is reported on {@code m}'s problem list with line:column and a fix. */
    public static DataPolicy read(ConfigNode.Mapping m) {
        Action action = m.opt("action", n -> n.asEnum(Action.class), Action.ALERT);
        var allow = new ArrayList<Allow>();
        for (ConfigNode n : m.list("allow")) {
            ConfigNode.Mapping a = n.asMapping();
            String cls = a.string("class", "write the class allowed: PCI, PII, SECRET or CUSTOM");
            if (cls != null && !CLASSES.contains(cls.toUpperCase(Locale.ROOT))) {
                a.get("class").ifPresent(c -> c.error("unknown data class '" + cls + "'", "write one of: PCI, PII, SECRET, CUSTOM"));
            }
            List<String> types = readTypes(a, "types");
            List<String> paths = a.strings("paths");
            for (String p : paths) {
                if (p.isBlank()) a.get("paths").ifPresent(x -> x.error("empty path", "write a JSON path such as $.card.number or a field name"));
            }
            a.done();
            if (cls != null) allow.add(new Allow(cls.toUpperCase(Locale.ROOT), types, paths));
        }
        var overrides = new LinkedHashMap<String, Action>();
        m.get("actions").ifPresent(n -> {
            ConfigNode.Mapping am = n.asMapping();
            for (String key : am.keys()) {
                boolean ok = CLASSES.contains(key) || TYPE_NAME.matcher(key).matches();
                if (!ok) {
                    am.keyNode(key).error("'" + key + "' is neither a data class nor a type name",
                            "use PCI, PII, SECRET, CUSTOM or an UPPER_SNAKE type such as CREDIT_CARD_NUMBER");
                }
                Action a = am.opt(key, x -> x.asEnum(Action.class), null);
                if (a == Action.OFF) {
                    am.keyNode(key).error("'off' applies to a whole API, not to one class or type",
                            "use alert, redact or block here; to stop inspecting this API write 'dataPolicy: off'");
                    a = null;
                }
                if (ok && a != null) overrides.put(key, a);
            }
            am.done();
        });
        var detectors = new ArrayList<Detector>();
        var seen = new java.util.HashSet<String>();
        for (ConfigNode n : m.list("detectors")) {
            ConfigNode.Mapping d = n.asMapping();
            String type = d.string("type", "name the detector's finding type in UPPER_SNAKE, e.g. EMPLOYEE_ID");
            if (type != null && !TYPE_NAME.matcher(type).matches()) {
                d.get("type").ifPresent(t -> t.error("type '" + type + "' is not UPPER_SNAKE", "write it like EMPLOYEE_ID"));
            } else if (type != null && !seen.add(type)) {
                d.get("type").ifPresent(t -> t.error("detector type '" + type + "' is defined twice", "give each detector its own type"));
            }
            String pattern = d.string("pattern", "write an RE2 pattern, e.g. 'EMP-[0-9]{6}'");
            if (pattern != null) {
                if (pattern.isEmpty() || pattern.length() > MAX_PATTERN) {
                    d.get("pattern").ifPresent(p -> p.error("pattern must be 1 to " + MAX_PATTERN + " characters", "shorten the pattern"));
                } else if (NOT_RE2.matcher(pattern).find()) {
                    d.get("pattern").ifPresent(p -> p.error("pattern uses lookaround, backreferences or possessive/atomic groups",
                            "RE2 syntax runs in linear time and has none of these; rewrite with plain groups and classes"));
                } else {
                    try {
                        java.util.regex.Pattern.compile(pattern);
                    } catch (java.util.regex.PatternSyntaxException e) {
                        d.get("pattern").ifPresent(p -> p.error("pattern does not parse: " + e.getDescription(), "fix the regular expression"));
                    }
                }
            }
            List<String> keywords = d.strings("keywords");
            String validator = d.opt("validator", ConfigNode::asString, "none");
            if (!VALIDATORS.contains(validator.toLowerCase(Locale.ROOT))) {
                d.get("validator").ifPresent(v -> v.error("unknown validator '" + validator + "'", "write one of: none, luhn, verhoeff, mod97"));
            }
            String cls = d.opt("class", ConfigNode::asString, "CUSTOM").toUpperCase(Locale.ROOT);
            if (!CLASSES.contains(cls)) {
                d.get("class").ifPresent(c -> c.error("unknown data class '" + cls + "'", "write one of: PCI, PII, SECRET, CUSTOM"));
            }
            d.done();
            if (type != null && pattern != null) {
                detectors.add(new Detector(type, pattern, keywords, validator.toLowerCase(Locale.ROOT), cls));
            }
        }
        m.done();
        return new DataPolicy(action, allow, overrides, detectors);
    }

    private static List<String> readTypes(ConfigNode.Mapping a, String key) {
        List<String> types = a.strings(key);
        for (String t : types) {
            if (!TYPE_NAME.matcher(t).matches()) {
                a.get(key).ifPresent(x -> x.error("type '" + t + "' is not an UPPER_SNAKE type name",
                        "write types like CREDIT_CARD_NUMBER or EMAIL_ADDRESS (see DlpTypes)"));
            }
        }
        return types;
    }
}

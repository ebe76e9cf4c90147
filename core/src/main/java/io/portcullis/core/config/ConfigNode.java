package io.portcullis.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that remembers where it came from, with strict typed accessors.
 *
 * <p>Every accessor that meets a wrong type, a missing required key or a bad value reports a
 * {@link ConfigProblem} at the node's {@code line:column} with a fix, and returns a harmless default
 * so reading continues and one load reports every problem. A {@link Mapping} remembers which keys were
 * read; {@link Mapping#done()} reports the rest as unknown keys, suggesting the closest known key.
 *
 * <p>Section parsers elsewhere (credentials, data policy, inbound policy) take a {@code Mapping} and
 * follow the same pattern: read every key they know, then call {@code done()}.
 */
public sealed class ConfigNode permits ConfigNode.Mapping {
    /** Largest configuration file accepted (characters). */
    public static final int MAX_FILE_CHARS = 4 * 1024 * 1024;

    final Node node;
    final ConfigProblems problems;

    ConfigNode(Node node, ConfigProblems problems) {
        this.node = node;
        this.problems = problems;
    }

    /** Parses YAML text; syntax errors are reported with their location and yield an empty mapping. */
    public static Mapping parse(String text, ConfigProblems problems) {
        var options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(40);
        options.setCodePointLimit(MAX_FILE_CHARS);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options), new org.yaml.snakeyaml.representer.Representer(
                    new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), options)
                    .compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            problems.add(mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                    "YAML syntax: " + e.getProblem(), "fix the YAML syntax at this position");
            return new Mapping(null, problems);
        } catch (YAMLException e) {
            problems.add(0, 0, "YAML could not be read: " + firstLine(e.getMessage()), "check the file is valid YAML");
            return new Mapping(null, problems);
        }
        if (root == null) {
            problems.add(1, 1, "the file is empty", "start with a mapping such as 'apps:' and 'vendors:'");
            return new Mapping(null, problems);
        }
        return new ConfigNode(root, problems).asMapping();
    }

    private static String firstLine(String s) {
        if (s == null) return "unknown error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public int line() {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    public int column() {
        return node == null ? 0 : node.getStartMark().getColumn() + 1;
    }

    /** Where this node is, as {@code file:line:column}. */
    public String location() {
        return problems.file() + ":" + line() + ":" + column();
    }

    public ConfigProblems problems() {
        return problems;
    }

    /** Reports a problem at this node. */
    public void error(String message, String fix) {
        problems.add(line(), column(), message, fix);
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    /** A scalar written {@code off} or {@code false}: a section switched off as a whole ({@code inbound: off}). */
    public boolean isOff() {
        return node instanceof ScalarNode s && (s.getValue().equalsIgnoreCase("off") || s.getValue().equalsIgnoreCase("false"));
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    /** This node as a mapping; reports a problem (and returns an empty mapping) if it is not one. */
    public Mapping asMapping() {
        if (this instanceof Mapping m) return m;
        if (node instanceof MappingNode) return new Mapping(node, problems);
        error("expected a mapping (key: value lines) but found " + describe(), "write this as 'key: value' lines");
        return new Mapping(null, problems);
    }

    /** This node as a list; a scalar or mapping is reported. */
    public List<ConfigNode> asList() {
        if (node instanceof SequenceNode seq) {
            var out = new ArrayList<ConfigNode>(seq.getValue().size());
            for (Node n : seq.getValue()) out.add(n instanceof MappingNode ? new Mapping(n, problems) : new ConfigNode(n, problems));
            return out;
        }
        error("expected a list but found " + describe(), "write a list, one '- item' per line, or [a, b]");
        return List.of();
    }

    /** The scalar text, or null (with a problem) if this is not a scalar. */
    public String asString() {
        if (node instanceof ScalarNode s) {
            if (isNull(s)) {
                error("expected a value but found nothing", "write a value after the colon");
                return null;
            }
            return s.getValue();
        }
        error("expected a single value but found " + describe(), "write a plain value, not a list or mapping");
        return null;
    }

    public Integer asInt(long min, long max) {
        String s = asString();
        if (s == null) return null;
        try {
            long v = Long.parseLong(s.replace("_", ""));
            if (v < min || v > max) {
                error("value " + v + " is out of range", "use a whole number from " + min + " to " + max);
                return null;
            }
            return (int) v;
        } catch (NumberFormatException e) {
            error("expected a whole number but found '" + abbreviate(s) + "'", "use a whole number from " + min + " to " + max);
            return null;
        }
    }

    public Boolean asBool() {
        String s = asString();
        if (s == null) return null;
        return switch (s) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                error("expected true or false but found '" + abbreviate(s) + "'", "write true or false");
                yield null;
            }
        };
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** Durations are written {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 30d}. */
    public Duration asDuration() {
        String s = asString();
        if (s == null) return null;
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            error("expected a duration but found '" + abbreviate(s) + "'", "write a number with a unit: 250ms, 5s, 2m, 1h or 30d");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB)?");

    /** Sizes are written {@code 512}, {@code 64KiB}, {@code 10MiB}, {@code 1GiB} (also KB/MB/GB, decimal). */
    public Long asSize() {
        String s = asString();
        if (s == null) return null;
        Matcher m = SIZE.matcher(s.trim());
        if (!m.matches()) {
            error("expected a size but found '" + abbreviate(s) + "'", "write bytes or a number with a unit: 8KiB, 10MiB, 1GiB");
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        long mult = switch (unit) {
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "KB" -> 1000L;
            case "MB" -> 1000_000L;
            case "GB" -> 1000_000_000L;
            default -> 1L;
        };
        return Math.multiplyExact(n, mult);
    }

    /** One of the allowed words (case-insensitive); reports the list otherwise. */
    public <E extends Enum<E>> E asEnum(Class<E> type) {
        String s = asString();
        if (s == null) return null;
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.replace('-', '_'))) return e;
        }
        var names = new ArrayList<String>();
        for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        error("'" + abbreviate(s) + "' is not one of " + names, "write one of: " + String.join(", ", names));
        return null;
    }

    public List<String> asStringList() {
        if (node instanceof ScalarNode && !isNull((ScalarNode) node)) {
            String s = asString();
            return s == null ? List.of() : List.of(s);
        }
        var out = new ArrayList<String>();
        for (ConfigNode n : asList()) {
            String s = n.asString();
            if (s != null) out.add(s);
        }
        return out;
    }

    String describe() {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        if (node instanceof ScalarNode s) return isNull(s) ? "nothing" : "'" + abbreviate(s.getValue()) + "'";
        return "nothing";
    }

    static boolean isNull(ScalarNode s) {
        return s.getTag().getValue().endsWith(":null");
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** A YAML mapping with tracked key access. */
    public static final class Mapping extends ConfigNode {
        private final Map<String, ConfigNode> entries = new LinkedHashMap<>();
        private final Map<String, ConfigNode> keyNodes = new LinkedHashMap<>();
        private final Set<String> read = new LinkedHashSet<>();

        Mapping(Node node, ConfigProblems problems) {
            super(node, problems);
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    var keyNode = new ConfigNode(t.getKeyNode(), problems);
                    if (!(t.getKeyNode() instanceof ScalarNode ks)) {
                        keyNode.error("keys must be plain words", "use a plain key such as 'name:'");
                        continue;
                    }
                    String key = ks.getValue();
                    if (entries.containsKey(key)) {
                        keyNode.error("duplicate key '" + key + "' (first at line " + keyNodes.get(key).line() + ")",
                                "remove one of the two '" + key + ":' entries");
                        continue;
                    }
                    Node v = t.getValueNode();
                    entries.put(key, v instanceof MappingNode ? new Mapping(v, problems) : new ConfigNode(v, problems));
                    keyNodes.put(key, keyNode);
                }
            }
        }

        public boolean has(String key) {
            read.add(key);
            var n = entries.get(key);
            return n != null && !(n.node instanceof ScalarNode s && isNull(s));
        }

        public Set<String> keys() {
            return Collections.unmodifiableSet(entries.keySet());
        }

        /** The node under key, marking it read; empty if absent or null. */
        public Optional<ConfigNode> get(String key) {
            read.add(key);
            var n = entries.get(key);
            if (n == null || (n.node instanceof ScalarNode s && isNull(s))) return Optional.empty();
            return Optional.of(n);
        }

        /** The node of the key itself (for locating problems about the key). */
        public ConfigNode keyNode(String key) {
            return keyNodes.getOrDefault(key, this);
        }

        /** A required key: reported (and empty) if missing. */
        public Optional<ConfigNode> require(String key, String fix) {
            var n = get(key);
            if (n.isEmpty()) error("missing required key '" + key + "'", fix);
            return n;
        }

        public String string(String key, String fix) {
            return require(key, fix).map(ConfigNode::asString).orElse(null);
        }

        public String string(String key, String fix, String dflt) {
            return get(key).map(ConfigNode::asString).orElse(dflt);
        }

        public <T> T opt(String key, Function<ConfigNode, T> read, T dflt) {
            var n = get(key);
            if (n.isEmpty()) return dflt;
            T v = read.apply(n.get());
            return v == null ? dflt : v;
        }

        public Mapping mapping(String key) {
            return get(key).map(ConfigNode::asMapping).orElseGet(() -> new Mapping(null, problems));
        }

        public List<ConfigNode> list(String key) {
            return get(key).map(ConfigNode::asList).orElse(List.of());
        }

        public List<String> strings(String key) {
            return get(key).map(ConfigNode::asStringList).orElse(List.of());
        }

        /** Reports every key that no reader asked for, suggesting the nearest known key. */
        public void done(String... knownKeys) {
            var known = new LinkedHashSet<>(read);
            known.addAll(List.of(knownKeys));
            for (var e : keyNodes.entrySet()) {
                if (known.contains(e.getKey())) continue;
                String near = nearest(e.getKey(), known);
                e.getValue().error("unknown key '" + abbreviate(e.getKey()) + "'",
                        near != null ? "did you mean '" + near + "'?" : "known keys here: " + String.join(", ", known));
            }
        }

        private static String nearest(String key, Set<String> known) {
            String best = null;
            int bestD = Integer.MAX_VALUE;
            for (String k : known) {
                int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
                if (d < bestD) {
                    bestD = d;
                    best = k;
                }
            }
            return best != null && bestD <= Math.max(2, key.length() / 3) ? best : null;
        }

        private static int distance(String a, String b) {
            if (Math.abs(a.length() - b.length()) > 8) return Integer.MAX_VALUE;
            int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) prev[j] = j;
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }
    }
}

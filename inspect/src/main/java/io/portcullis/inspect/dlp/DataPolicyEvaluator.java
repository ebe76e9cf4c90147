package io.portcullis.inspect.dlp;

import io.portcullis.core.config.DataPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Applies a {@link DataPolicy} to findings: a pure function, compiled once per policy (path patterns become
 * anchored regular expressions built by quoting, never from user regex syntax).
 *
 * <p>A finding is allowed when some {@code allow} entry names its class, lists its type (or lists no types)
 * and matches its path (or lists no paths). Each violation's action is its type override, else its class
 * override, else the policy's action; the decision is the most severe action among violations.
 */
public final class DataPolicyEvaluator {
    private record CompiledAllow(String dataClass, List<String> types, List<Pattern> paths) {}

    private final DataPolicy policy;
    private final List<CompiledAllow> allows;

    public DataPolicyEvaluator(DataPolicy policy) {
        this.policy = policy == null ? DataPolicy.ALERT_ON_EVERYTHING : policy;
        var list = new ArrayList<CompiledAllow>();
        for (DataPolicy.Allow a : this.policy.allow()) {
            list.add(new CompiledAllow(a.dataClass(), a.types(), a.paths().stream().map(DataPolicyEvaluator::pathPattern).toList()));
        }
        this.allows = List.copyOf(list);
    }

    public DataPolicy policy() {
        return policy;
    }

    public DlpDecision evaluate(List<Finding> findings) {
        var violations = new ArrayList<Finding>();
        DataPolicy.Action worst = null;
        for (Finding f : findings) {
            if (allowed(f)) continue;
            violations.add(f);
            DataPolicy.Action a = actionFor(f);
            if (worst == null || a.ordinal() > worst.ordinal()) worst = a;
        }
        if (worst == null) return new DlpDecision.Pass(findings);
        return switch (worst) {
            case ALERT -> new DlpDecision.Alert(findings, violations);
            case REDACT -> new DlpDecision.Redact(findings, violations);
            case BLOCK -> new DlpDecision.Block(findings, violations);
            case OFF -> new DlpDecision.Pass(findings); // never an override (rejected at load); a whole-API off is not compiled
        };
    }

    public boolean allowed(Finding f) {
        for (CompiledAllow a : allows) {
            if (!a.dataClass().equals(f.dataClass().name())) continue;
            if (!a.types().isEmpty() && !a.types().contains(f.type())) continue;
            if (a.paths().isEmpty()) return true;
            for (Pattern p : a.paths()) if (p.matcher(f.path()).matches()) return true;
        }
        return false;
    }

    public DataPolicy.Action actionFor(Finding f) {
        DataPolicy.Action a = policy.overrides().get(f.type());
        if (a == null) a = policy.overrides().get(f.dataClass().name());
        return a == null ? policy.action() : a;
    }

    /** {@code **} anything, {@code [*]} any index, {@code *} any one name; everything else literal. */
    static Pattern pathPattern(String glob) {
        var sb = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            if (glob.startsWith("**", i)) {
                sb.append(".*");
                i += 2;
            } else if (glob.startsWith("[*]", i)) {
                sb.append("\\[[0-9]+\\]");
                i += 3;
            } else if (glob.charAt(i) == '*') {
                sb.append("[^.\\[]*");
                i++;
            } else {
                int j = i;
                while (j < glob.length() && glob.charAt(j) != '*' && !glob.startsWith("[*]", j)) j++;
                sb.append(Pattern.quote(glob.substring(i, j)));
                i = j;
            }
        }
        return Pattern.compile(sb.toString());
    }

    /** Custom detectors of a policy, compiled with RE2/J. */
    public static List<CustomDetector> detectors(DataPolicy policy) {
        if (policy == null) return List.of();
        return policy.detectors().stream().map(d -> new CustomDetector(d.type(), DataClass.valueOf(d.dataClass()),
                com.google.re2j.Pattern.compile(d.pattern()), d.keywords(),
                CustomDetector.Validator.valueOf(d.validator().toUpperCase(java.util.Locale.ROOT)))).toList();
    }
}

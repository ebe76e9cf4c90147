package io.portcullis.gateway.policy;

import io.portcullis.core.event.Decision;
import io.portcullis.core.config.ApiConfig;
import io.portcullis.gateway.pipeline.Exchange;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.gateway.pipeline.HeadVerdict;
import io.portcullis.gateway.pipeline.Problem;
import java.util.List;

/**
 * Egress allowlist: only the apps named on an API may call it, and only with the methods and paths
 * their rule names. Paths match segment by segment: {@code *} is one segment, a final {@code **} any
 * remainder (including none).
 */
public final class AllowlistPolicy implements ExchangePolicy {
    private final List<ApiConfig.AllowRule> rules;
    private final String apiId;
    /** The audit reason of an allowed call per app, built once with the policy. */
    private final java.util.Map<String, String> allowReasons = new java.util.HashMap<>();

    public AllowlistPolicy(ApiConfig api) {
        this.rules = api.allow();
        this.apiId = api.id();
        for (var r : rules) allowReasons.putIfAbsent(r.app(), "app " + r.app() + " may call " + apiId);
    }

    @Override
    public String name() {
        return "allowlist";
    }

    @Override
    public HeadVerdict onRequestHead(Exchange x) {
        String method = x.request().method().name();
        boolean appKnown = false;
        for (var r : rules) {
            if (!r.app().equals(x.app())) continue;
            appKnown = true;
            if (!r.methods().isEmpty() && !r.methods().contains(method)) continue;
            if (!r.paths().isEmpty() && !anyMatches(r.paths(), x.pathInRoute())) continue;
            x.decide(name(), Decision.Outcome.ALLOW, allowReasons.get(r.app()));
            return HeadVerdict.CONTINUE;
        }
        String reason = appKnown ? "app " + x.app() + " may not " + method + " this path of " + apiId
                : "app " + x.app() + " is not allowed to call " + apiId;
        x.decide(name(), Decision.Outcome.DENY, reason);
        return HeadVerdict.reject(Problem.of(403, "not-allowed", "Forbidden", reason));
    }

    private static boolean anyMatches(List<String> patterns, String path) {
        for (String p : patterns) if (matches(p, path)) return true;
        return false;
    }

    /** Segment-wise match of a pattern like {@code /v1/customers/*} or {@code /v1/charges/**}. */
    static boolean matches(String pattern, String path) {
        int pi = 0, si = 0;
        int pl = pattern.length(), sl = path.length();
        while (true) {
            if (pi >= pl) return si >= sl;
            // pattern segment [pi, pe)
            int pe = pattern.indexOf('/', pi + 1);
            if (pe < 0) pe = pl;
            int segLen = pe - pi;
            if (segLen == 3 && pattern.startsWith("/**", pi)) return true;
            if (si >= sl) return false;
            int se = path.indexOf('/', si + 1);
            if (se < 0) se = sl;
            if (segLen == 2 && pattern.startsWith("/*", pi)) {
                if (se - si <= 1) return false; // '*' needs a non-empty segment
            } else if (se - si != segLen || !path.regionMatches(si, pattern, pi, segLen)) {
                return false;
            }
            pi = pe;
            si = se;
        }
    }
}

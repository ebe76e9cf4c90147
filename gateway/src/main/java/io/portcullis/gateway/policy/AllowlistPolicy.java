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

    public AllowlistPolicy(ApiConfig api) {
        this.rules = api.allow();
        this.apiId = api.id();
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
            if (!r.paths().isEmpty() && r.paths().stream().noneMatch(p -> matches(p, x.pathInRoute()))) continue;
            x.decide(name(), Decision.Outcome.ALLOW, "app " + x.app() + " may call " + apiId);
            return HeadVerdict.CONTINUE;
        }
        String reason = appKnown ? "app " + x.app() + " may not " + method + " this path of " + apiId
                : "app " + x.app() + " is not allowed to call " + apiId;
        x.decide(name(), Decision.Outcome.DENY, reason);
        return HeadVerdict.reject(Problem.of(403, "not-allowed", "Forbidden", reason));
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
            String seg = pattern.substring(pi, pe);
            if (seg.equals("/**")) return true;
            if (si >= sl) return false;
            int se = path.indexOf('/', si + 1);
            if (se < 0) se = sl;
            if (seg.equals("/*")) {
                if (se - si <= 1) return false; // '*' needs a non-empty segment
            } else if (!path.regionMatches(si, seg, 0, seg.length()) || se - si != seg.length()) {
                return false;
            }
            pi = pe;
            si = se;
        }
    }
}

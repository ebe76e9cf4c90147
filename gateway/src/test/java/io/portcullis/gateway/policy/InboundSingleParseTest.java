package io.portcullis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.core.config.InboundPolicy;
import io.portcullis.core.config.InboundPolicy.Action;
import io.portcullis.core.config.InboundPolicy.Mode;
import io.portcullis.core.config.InboundPolicy.UnknownFields;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.inspect.schema.VendorContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway's inbound policies built by {@link InboundPolicies#forApi} parse a JSON response once (the limits
 * policy's scan feeds the threat scan and the contract tree) and reach exactly the verdicts of the same policies
 * each parsing the body themselves: same problem, findings (kind, type, path, detail) and decisions, for every
 * combination of modes and actions, identity and gzip, over clean, violating, attacking, malformed and
 * over-limit bodies.
 */
class InboundSingleParseTest {
    /** Tight limits so the over-limit bodies below break them: depth 4, strings of 40, arrays of 5, 8 keys. */
    static InboundPolicy.Limits limits(Action action) {
        var d = InboundPolicy.Limits.DEFAULT;
        return new InboundPolicy.Limits(4096, 4, 5, 40, d.maxNumberLength(), 8, d.maxCompressionRatio(), action);
    }

    static final Map<String, String> BODIES = new LinkedHashMap<>();

    static {
        BODIES.put("clean", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"email\":null,\"metadata\":{\"note\":\"Zürich 東京\"}}");
        BODIES.put("contract violation", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":\"soon\",\"balance\":1.5}");
        BODIES.put("attack in a value", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"email\":\"<script>alert(1)</script>\"}");
        BODIES.put("attack in a key", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"metadata\":{\"$where\":\"1\"}}");
        BODIES.put("attack and violation", "{\"id\":\"x' OR 1=1 --\",\"object\":\"customer\",\"created\":-1}");
        BODIES.put("malformed", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1");
        BODIES.put("duplicate key", "{\"id\":\"cus_1\",\"id\":\"cus_2\",\"object\":\"customer\",\"created\":1}");
        BODIES.put("too deep", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"metadata\":{\"a\":[[[\"<script>alert(1)</script>\"]]]}}");
        BODIES.put("string too long", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"email\":\"" + "a".repeat(41) + "\",\"balance\":\"<svg onload=alert(1)>\"}");
        BODIES.put("array too long", "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"metadata\":{\"a\":[1,2,3,4,5,6]}}");
        BODIES.put("empty", "");
    }

    private record Verdict(Integer status, String type, List<?> findings, List<?> decisions) {
    }

    private static Verdict run(List<ExchangePolicy> chain, String body, boolean gzip) throws Exception {
        var headers = new LinkedHashMap<>(InboundPoliciesTest.JSON);
        byte[] bytes = InboundPoliciesTest.utf8(body);
        if (gzip) {
            headers.put("content-encoding", "gzip");
            bytes = InboundPoliciesTest.gzip(bytes);
        }
        var o = InboundChain.respond(chain, InboundChain.exchange("GET", "/v1/customers/cus_1"), 200, headers, bytes);
        return new Verdict(o.problem() == null ? null : o.problem().status(), o.problem() == null ? null : o.problem().type(),
                o.exchange().findings(), o.exchange().decisions());
    }

    /** The same policies as {@link InboundPolicies#forApi}, with a limits policy that parses only for itself. */
    private static List<ExchangePolicy> separate(InboundPolicy p, VendorContract contract) {
        var events = new InboundChain.RecordingEvents();
        var list = new ArrayList<ExchangePolicy>();
        if (p.threats().action() != Action.OFF) {
            list.add(new ThreatPolicy(InboundPolicies.THREATS, p.threats(), p.limits(), ThreatPolicy.Side.VENDOR_RESPONSE, events));
        }
        if (p.schema().mode() != Mode.OFF) list.add(new SchemaPolicy(contract, p.schema(), p.limits()));
        list.add(new LimitsPolicy(p.limits(), events, p.schema().mode() != Mode.OFF || p.threats().action() == Action.BLOCK));
        return list;
    }

    @Test
    void everyCombinationReachesTheVerdictsOfSeparateParses() throws Exception {
        var contract = VendorContract.load(List.of(InboundPoliciesTest.spec()), UnknownFields.ALLOW);
        int combinations = 0, judgedFromOneParse = 0;
        for (Mode schema : new Mode[]{Mode.ENFORCE, Mode.REPORT, Mode.OFF}) {
            for (Action threats : new Action[]{Action.BLOCK, Action.REPORT, Action.OFF}) {
                for (Action limitAction : new Action[]{Action.BLOCK, Action.REPORT}) {
                    var policy = new InboundPolicy(new InboundPolicy.SchemaPolicy(List.of(InboundPoliciesTest.spec()), schema, UnknownFields.ALLOW, false),
                            limits(limitAction), new InboundPolicy.Threats(threats), InboundPolicy.Malware.DEFAULT);
                    for (boolean gzip : new boolean[]{false, true}) {
                        for (var e : BODIES.entrySet()) {
                            String what = e.getKey() + " schema=" + schema + " threats=" + threats + " limits=" + limitAction + " gzip=" + gzip;
                            var single = InboundPolicies.forApi(policy, null, new InboundChain.RecordingEvents(), s -> contract);
                            Verdict one = run(single, e.getValue(), gzip);
                            Verdict apart = run(separate(policy, contract), e.getValue(), gzip);
                            assertThat(one).as(what).isEqualTo(apart);
                            combinations++;
                        }
                    }
                }
            }
        }
        assertThat(combinations).isEqualTo(3 * 3 * 2 * 2 * BODIES.size());
        // the fast path is really taken: a clean body with everything on is judged from the one parse
        var all = new InboundPolicy(new InboundPolicy.SchemaPolicy(List.of(InboundPoliciesTest.spec()), Mode.ENFORCE, UnknownFields.ALLOW, false),
                limits(Action.BLOCK), new InboundPolicy.Threats(Action.BLOCK), InboundPolicy.Malware.DEFAULT);
        for (String name : List.of("clean", "attack in a value", "contract violation")) {
            var x = InboundChain.exchange("GET", "/v1/customers/cus_1");
            InboundChain.respond(InboundPolicies.forApi(all, null, new InboundChain.RecordingEvents(), s -> contract), x, 200,
                    InboundPoliciesTest.JSON, InboundPoliciesTest.utf8(BODIES.get(name)));
            var parse = x.state(InboundJsonParse.class);
            assertThat(parse).as(name).isNotNull();
            assertThat(parse.threats(InboundPolicies.THREATS)).as(name).isNotNull();
            assertThat(parse.tree()).as(name).isNotNull();
            assertThat(parse.covers(InboundPolicies.THREATS)).isTrue();
            judgedFromOneParse++;
        }
        assertThat(judgedFromOneParse).isEqualTo(3);
    }
}

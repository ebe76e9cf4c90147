package io.portcullis.gateway.policy;

import io.portcullis.core.config.InboundPolicy;
import io.portcullis.gateway.GatewayEvents;
import io.portcullis.gateway.pipeline.ExchangePolicy;
import io.portcullis.inspect.malware.MalwareInspection;
import io.portcullis.inspect.schema.SpecException;
import io.portcullis.inspect.schema.VendorContract;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the inbound-protection policies of one API from its {@code inbound:} section.
 *
 * <p>Order: the chain runs response phases from the last policy to the first, so the list is
 * {@code [malware, threats, schema, limits]}: on a response, limits and the decompression guard run first, then
 * the contract, then injection detection, then malware (DESIGN.md: "response limits and decompression guard →
 * schema → threats → malware").
 */
public final class InboundPolicies {
    private InboundPolicies() {
    }

    /** One engine for every route: it is immutable and thread-safe (sessions are per exchange). */
    public static final io.portcullis.inspect.threats.ThreatEngine THREATS = new io.portcullis.inspect.threats.ThreatEngine();

    /**
     * @param policy     the API's inbound section
     * @param inspection the shared clamd inspection, or null when no clamd is configured (then {@code scan: true}
     *                   still adds the policy, which fails per its fail mode)
     * @throws SpecException when a named spec cannot be loaded — a configuration error naming the spec file
     */
    public static List<ExchangePolicy> forApi(InboundPolicy policy, MalwareInspection inspection, GatewayEvents events) throws SpecException {
        return forApi(policy, inspection, events, s -> VendorContract.load(s.spec(), s.unknownFields()));
    }

    /** As {@link #forApi(InboundPolicy, MalwareInspection, GatewayEvents)} with contracts from {@code contracts}. */
    public static List<ExchangePolicy> forApi(InboundPolicy policy, MalwareInspection inspection, GatewayEvents events,
                                              ContractSource contracts) throws SpecException {
        var list = new ArrayList<ExchangePolicy>(3);
        boolean schema = policy.schema().mode() != InboundPolicy.Mode.OFF && !policy.schema().spec().isEmpty();
        if (policy.malware().scan()) {
            list.add(new MalwarePolicy(inspection != null ? inspection : unavailable(), policy.malware(), policy.limits(), events));
        }
        if (policy.threats().action() != InboundPolicy.Action.OFF) {
            list.add(new ThreatPolicy(THREATS, policy.threats(), policy.limits(), ThreatPolicy.Side.VENDOR_RESPONSE, events));
        }
        if (schema) {
            var contract = contracts.load(policy.schema());
            list.add(new SchemaPolicy(contract, policy.schema(), policy.limits()));
        }
        // one parse of JSON bodies: the limits scan's tokens feed the threat scan and the contract's tree
        list.add(new LimitsPolicy(policy.limits(), events, schema || policy.malware().scan()
                || policy.threats().action() == InboundPolicy.Action.BLOCK,
                policy.threats().action() != InboundPolicy.Action.OFF ? THREATS : null, schema));
        return list;
    }

    /**
     * A {@link io.portcullis.gateway.snapshot.SnapshotCompiler.PolicyContributor} adding each API's inbound
     * policies. Compiled contracts are cached by spec files, their modification times and the unknown-fields
     * mode, so a reload that does not touch a spec does not parse it again. A spec that cannot be loaded throws
     * {@link java.io.UncheckedIOException} naming the API and the spec problems: at start-up that is a
     * configuration error, on reload the previous snapshot keeps serving.
     *
     * @param inboundOf how to get an API's {@code inbound:} section (from {@code ApiConfig} once it carries it)
     */
    public static io.portcullis.gateway.snapshot.SnapshotCompiler.PolicyContributor contributor(
            java.util.function.Function<io.portcullis.core.config.ApiConfig, InboundPolicy> inboundOf,
            MalwareInspection inspection, GatewayEvents events) {
        var cache = new java.util.concurrent.ConcurrentHashMap<String, VendorContract>();
        var deliveries = new java.util.concurrent.ConcurrentHashMap<String, io.portcullis.inspect.schema.DeliveryContract>();
        return new io.portcullis.gateway.snapshot.SnapshotCompiler.PolicyContributor() {
            /** Contract of the deliveries (when a spec is named), then malware: both see only verified deliveries. */
            @Override
            public List<ExchangePolicy> forWebhook(io.portcullis.core.config.WebhookRouteConfig hook, io.portcullis.core.config.PortcullisConfig cfg) {
                var out = new ArrayList<ExchangePolicy>(2);
                var schema = hook.inbound().schema();
                if (schema.mode() != InboundPolicy.Mode.OFF && !schema.spec().isEmpty()) {
                    String key = cacheKey(schema) + "|" + schema.webhooks() + "|" + schema.operation().orElse("");
                    var contract = deliveries.get(key);
                    if (contract == null) {
                        try {
                            contract = io.portcullis.inspect.schema.DeliveryContract.load(schema.spec(), schema.unknownFields(), schema.webhooks(), schema.operation());
                        } catch (SpecException e) {
                            throw new java.io.UncheckedIOException(new java.io.IOException(
                                    "webhook " + hook.name() + ": inbound schema spec could not be loaded: " + String.join("; ", e.problems())));
                        }
                        deliveries.put(key, contract);
                    }
                    out.add(new DeliverySchemaPolicy(contract, schema.mode(), hook.inbound().limits()));
                }
                var m = hook.inbound().malware();
                if (m.scan()) out.add(MalwarePolicy.forDeliveries(inspection != null ? inspection : unavailable(), m, hook.inbound().limits(), events));
                return out;
            }

            @Override
            public List<ExchangePolicy> apply(io.portcullis.core.config.ApiConfig api, io.portcullis.core.config.PortcullisConfig cfg) {
            InboundPolicy policy = inboundOf.apply(api);
            try {
                return forApi(policy, inspection, events, specs -> {
                    String key = cacheKey(specs);
                    VendorContract c = cache.get(key);
                    if (c == null) {
                        c = VendorContract.load(specs.spec(), specs.unknownFields());
                        cache.put(key, c);
                    }
                    return c;
                });
            } catch (SpecException e) {
                throw new java.io.UncheckedIOException(new java.io.IOException(
                        "API " + api.id() + ": inbound schema spec could not be loaded: " + String.join("; ", e.problems())));
            }
            }
        };
    }

    private static String cacheKey(InboundPolicy.SchemaPolicy s) {
        var sb = new StringBuilder(s.unknownFields().name());
        for (var p : s.spec()) {
            long m;
            try {
                m = java.nio.file.Files.getLastModifiedTime(p).toMillis();
            } catch (java.io.IOException e) {
                m = -1;
            }
            sb.append('|').append(p).append('@').append(m);
        }
        return sb.toString();
    }

    /** Loads (or reuses) the compiled contract for a schema section. */
    @FunctionalInterface
    public interface ContractSource {
        VendorContract load(InboundPolicy.SchemaPolicy schema) throws SpecException;
    }

    private static MalwareInspection unavailable() {
        // a scanner pointed at a port nothing listens on: every scan is UNAVAILABLE and the fail mode decides
        return new MalwareInspection(new io.portcullis.inspect.malware.ClamdScanner(
                io.portcullis.inspect.malware.ClamdScanner.Settings.of(new io.portcullis.inspect.malware.ClamdEndpoint.Unix(
                        java.nio.file.Path.of("/nonexistent/portcullis-clamd-not-configured.sock")))));
    }
}

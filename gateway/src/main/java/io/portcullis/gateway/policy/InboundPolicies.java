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
 * {@code [malware, schema, limits]}: on a response, limits and the decompression guard run first, then the
 * contract, then malware (DESIGN.md: "response limits and decompression guard → schema → threats → malware").
 * A threat policy belongs between schema and malware in this list.
 */
public final class InboundPolicies {
    private InboundPolicies() {
    }

    /**
     * @param policy     the API's inbound section
     * @param inspection the shared clamd inspection, or null when no clamd is configured (then {@code scan: true}
     *                   still adds the policy, which fails per its fail mode)
     * @throws SpecException when a named spec cannot be loaded — a configuration error naming the spec file
     */
    public static List<ExchangePolicy> forApi(InboundPolicy policy, MalwareInspection inspection, GatewayEvents events) throws SpecException {
        var list = new ArrayList<ExchangePolicy>(3);
        boolean schema = policy.schema().mode() != InboundPolicy.Mode.OFF && !policy.schema().spec().isEmpty();
        if (policy.malware().scan()) {
            list.add(new MalwarePolicy(inspection != null ? inspection : unavailable(), policy.malware(), policy.limits(), events));
        }
        if (schema) {
            var contract = VendorContract.load(policy.schema().spec(), policy.schema().unknownFields());
            list.add(new SchemaPolicy(contract, policy.schema(), policy.limits()));
        }
        list.add(new LimitsPolicy(policy.limits(), events, schema || policy.malware().scan()));
        return list;
    }

    private static MalwareInspection unavailable() {
        // a scanner pointed at a port nothing listens on: every scan is UNAVAILABLE and the fail mode decides
        return new MalwareInspection(new io.portcullis.inspect.malware.ClamdScanner(
                io.portcullis.inspect.malware.ClamdScanner.Settings.of(new io.portcullis.inspect.malware.ClamdEndpoint.Unix(
                        java.nio.file.Path.of("/nonexistent/portcullis-clamd-not-configured.sock")))));
    }
}

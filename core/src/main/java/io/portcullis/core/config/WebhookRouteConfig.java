package io.portcullis.core.config;

import io.portcullis.core.secret.SecretRef;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One inbound webhook route (top-level {@code webhooks:}): a third party calls {@code route} on the gateway, which
 * verifies the signature and replay, applies the inbound checks to the delivery, and forwards it to an internal
 * service.
 * <pre>{@code
 * webhooks:
 *   - name: stripe-events
 *     vendor: stripe                       # must be a declared vendor
 *     route: /hooks/stripe
 *     kind: stripe                         # stripe | github | slack | shopify | twilio | standard-webhooks
 *     secrets: [env:STRIPE_WEBHOOK_SECRET] # several during rotation; env:, file: or store:
 *     forwardTo: http://billing.internal:8080/stripe-events
 *     tolerance: 5m                        # timestamp window (signed-timestamp schemes)
 *     publicUrl: https://hooks.example.com/hooks/twilio   # twilio: the URL the vendor signs
 *     maxBody: 1MiB
 *     inbound:                             # same keys as an API's inbound section, but schema: describes deliveries
 *       threats: {action: block}
 *       schema: {spec: [specs/stripe-webhooks.yaml], webhooks: [invoice.paid], mode: enforce}  # or operation: 'POST /events'
 * }</pre>
 */
public record WebhookRouteConfig(String name, String vendor, String route, String kind, List<SecretRef> secrets,
                                 URI forwardTo, Optional<Duration> tolerance, Optional<String> publicUrl,
                                 InboundPolicy inbound, long maxBody) {
    public static final List<String> KINDS = List.of("stripe", "github", "slack", "shopify", "twilio", "standard-webhooks");

    public WebhookRouteConfig {
        secrets = List.copyOf(secrets);
    }
}

/**
 * Inbound webhook verification: signature, timestamp window and replay checks for Stripe, GitHub,
 * Slack, Shopify, Twilio and Standard Webhooks senders. A pure engine over bytes: no Netty types, no
 * I/O, no logging, so the listener, the CLI and tests use it alike.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * // once per configured webhook, when a config snapshot is compiled
 * WebhookConfig config = WebhookConfig.of("stripe-payments", VendorKind.STRIPE,
 *         WebhookSecrets.of(resolvedSecretBytes));           // or WebhookSecrets.supplied(store::current)
 * WebhookVerifier verifier = WebhookVerifier.create(config, Clock.systemUTC());
 *
 * // per request, after the whole body is buffered (bounded by the route's body limit)
 * WebhookVerdict verdict = verifier.verify(new WebhookRequest(bodyBytes, nettyHeaders::getAll, publicUrl));
 * switch (verdict) {
 *     case WebhookVerdict.Verified v -> forward(v.vendorEventId());          // audit the event id
 *     case WebhookVerdict.Rejected r -> problem(r.reason().httpStatus(), r.reason().slug(), r.message());
 * }
 * // if forwarding the verified delivery fails, let the vendor's retry through:
 * verifier.release(v);
 *
 * // on config reload, keep replay memory across snapshots (no replay gap):
 * WebhookVerifier next = verifier.successor(reloadedConfig);
 * }</pre>
 *
 * <p>Body size is not limited here: the listener bounds the buffered body before calling
 * {@code verify}. Cost is linear in the body per configured secret.
 *
 * <h2>What is and is not protected</h2>
 * <ul>
 *   <li>Authenticity and integrity of the raw body (all), of the timestamp (Stripe, Slack, Standard
 *       Webhooks), of the message id (Standard Webhooks) and of the full URL (Twilio).</li>
 *   <li>Replays within the replay window are refused (see {@link io.portcullis.gateway.webhook.ReplayGuard}
 *       for its bounds and eviction). For GitHub, Shopify and Twilio, which sign no timestamp, a
 *       request replayed after the window has passed verifies again; a vendor's own redelivery of an
 *       identical request inside the window is refused as a replay.</li>
 *   <li>Delivery ids sent in unsigned headers (GitHub, Shopify, Twilio) are reported for audit only
 *       and are never used as replay keys, since an attacker could change them freely.</li>
 * </ul>
 */
package io.portcullis.gateway.webhook;

/**
 * What the gateway observed, on its way out of the data plane.
 *
 * <p>{@link io.portcullis.core.event.PortcullisEvent} is a sealed set: one
 * {@link io.portcullis.core.event.ExchangeEvent} per exchange (built incrementally with
 * {@link io.portcullis.core.event.ExchangeEvent#builder}) and {@link io.portcullis.core.event.SecurityEvent}s for
 * standalone happenings. The {@link io.portcullis.core.event.EventBus} carries them from any number of producer
 * threads to {@link io.portcullis.core.event.EventSink}s on one consumer thread; publishing never blocks and never
 * throws, and every dropped event is counted and reported.
 *
 * <pre>{@code
 * // wiring (main)
 * AuditLogSink audit = new AuditLogSink(AuditLogSink.Options.defaults(Path.of("logs/audit.jsonl"))
 *         .withChainKey(AuditChainKey.fromEnvironment()));
 * EventBus bus = EventBus.builder().capacity(65_536).sink(audit).start();
 *
 * // per exchange (data plane)
 * ExchangeEvent.Builder ev = ExchangeEvent.builder(requestId, Direction.OUTBOUND)
 *         .method("POST").path(path).query(rawQuery).protocol("HTTP/1.1").clientAddress(ip);
 * ev.app("billing").vendor("stripe").api("charges").host("api.stripe.com").authScheme("bearer");
 * ev.decision(Decision.allow("allowlist")).decision(Decision.deny("rate-limit", "50 req/s exceeded"));
 * ev.status(429).bytesOut(n).durationNanos(System.nanoTime() - startNanos);
 * bus.publish(ev.build());
 *
 * // standalone
 * bus.publish(SecurityEvent.of(SecurityEvent.PIN_MISMATCH, Severity.HIGH, "stripe", "charges", null,
 *         "certificate pin mismatch for api.stripe.com", Map.of("actual_pins", "sha256/...")));
 *
 * // metrics: bus.dropped(), bus.published(), bus.delivered(), bus.sinkFailures(), bus.queued()
 * // shutdown: bus.close(Duration.ofSeconds(5));   // drains, flushes and closes the sinks
 * }</pre>
 */
package io.portcullis.core.event;

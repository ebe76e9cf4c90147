package io.portcullis.core.event;

import java.time.Instant;

/**
 * Something the data plane or control plane observed, on its way to the {@link EventBus} and its sinks.
 *
 * <p>The set is closed: an {@link ExchangeEvent} is emitted once per HTTP exchange, a {@link SecurityEvent} for
 * everything that is not tied to a single exchange (pin mismatch, circuit opened, reload rejected, bus overflow …).
 * Events are immutable and safe to share between threads.
 */
public sealed interface PortcullisEvent permits ExchangeEvent, SecurityEvent {

    /** When the thing happened (for an exchange: when it started). */
    Instant time();
}

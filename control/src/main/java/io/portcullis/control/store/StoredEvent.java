package io.portcullis.control.store;

import java.time.Instant;

/** A row of the generic event table: a typed payload (JSON text) about a subject. */
public record StoredEvent(long id, Instant occurredAt, String type, String subject, String payload) {}

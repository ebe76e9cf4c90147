package io.portcullis.control.store;

import java.time.Instant;

/** A label on an operation ({@code shadow}, {@code zombie}, {@code orphan}, {@code drift}) with the reason for it. */
public record OperationLabel(String host, String method, String pathTemplate, String label, String reason,
                             Instant firstSeen, Instant lastSeen) {}

/**
 * The audit trail: ECS JSON lines, redacted, hash-chained, size-rotated, and verifiable.
 *
 * <ul>
 *   <li>{@link io.portcullis.core.audit.AuditLogSink} — the {@link io.portcullis.core.event.EventSink} that writes
 *       the trail (format in {@code EcsAuditFormat}, rotation and fsync policy in its javadoc).</li>
 *   <li>{@link io.portcullis.core.audit.AuditChain} — how each record is linked to the previous one.</li>
 *   <li>{@link io.portcullis.core.audit.AuditVerifier} — checks files and reports the first tampered, missing,
 *       reordered or truncated record; its javadoc states the threat model. CLI: {@code portcullis audit verify}.</li>
 *   <li>{@link io.portcullis.core.audit.CredentialRedactor} — defence-in-depth redaction of query values,
 *       credential-named attributes and credential-shaped text.</li>
 *   <li>{@link io.portcullis.core.audit.AuditChainKey} — the optional HMAC key ({@code PORTCULLIS_AUDIT_KEY}).</li>
 * </ul>
 */
package io.portcullis.core.audit;

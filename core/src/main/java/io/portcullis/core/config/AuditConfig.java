package io.portcullis.core.config;

import java.nio.file.Path;

/**
 * Audit trail settings.
 *
 * @param file          the active audit file; rotated files sit beside it
 * @param maxFileBytes  rotate when the active file would grow past this
 * @param maxFiles      rotated files kept
 * @param busCapacity   events the bus holds before it drops (drops are counted and reported)
 */
public record AuditConfig(Path file, long maxFileBytes, int maxFiles, int busCapacity) {}

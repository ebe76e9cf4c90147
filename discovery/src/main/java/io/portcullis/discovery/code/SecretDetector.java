package io.portcullis.discovery.code;

import java.util.List;

/**
 * Finds hard-coded secrets in file content for the repo scanner. The real implementation adapts the DLP
 * engine's SECRET detectors ({@code inspect/dlp}); implementations must never return the secret itself.
 */
@FunctionalInterface
public interface SecretDetector {
    /** Secrets in {@code content[0, length)}, in any order. Must be thread-safe and must not retain content. */
    List<SecretMatch> find(byte[] content, int length);
}

package io.portcullis.discovery.diff;

/**
 * A documented operation nobody used in the window.
 *
 * @param operation the documented operation
 * @param lastSeen  epoch millis of its last observed use, or 0 when never seen
 * @param reason    why it is an orphan
 */
public record Orphan(CatalogOperation operation, long lastSeen, String reason) {
}

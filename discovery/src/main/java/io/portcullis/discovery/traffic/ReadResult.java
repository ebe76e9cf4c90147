package io.portcullis.discovery.traffic;

/**
 * What reading one input produced.
 *
 * @param requests requests handed to the consumer
 * @param skipped  lines or entries skipped (not JSON, truncated, too long, or missing host/method/path)
 * @param firstSkipped one-based line or entry number of the first skipped item, or 0
 */
public record ReadResult(long requests, long skipped, long firstSkipped) {
}

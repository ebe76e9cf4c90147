package io.portcullis.discovery.traffic;

import java.util.List;
import java.util.Map;

/**
 * What the learner knows at one moment.
 *
 * @param requests        requests observed in total
 * @param operations      learned operations sorted by host, path and method
 * @param collapsedHosts  hosts whose templates exploded past the limit and were collapsed, with how many templates they had
 * @param droppedRequests requests not learned because the host limit was reached
 */
public record InventorySnapshot(long requests, List<LearnedOperation> operations, Map<String, Integer> collapsedHosts,
                                long droppedRequests) {
}

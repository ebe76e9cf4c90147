package io.portcullis.discovery.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * One operation {@code (host, method, path template)} learned from traffic, with what was seen of it. Immutable.
 *
 * @param firstSeen     epoch millis of the earliest request with a timestamp, or 0
 * @param lastSeen      epoch millis of the latest request with a timestamp, or 0
 * @param statuses      response status to count (status 0 = no response seen)
 * @param queryParams   query parameter name to the number of requests that carried it
 * @param apps          calling apps (at most {@link LearnerLimits#maxAppsPerOperation()}; {@code appsTruncated} says if more were seen)
 * @param requestSchema inferred JSON Schema of JSON request bodies, or {@code null}
 * @param responseSchema inferred JSON Schema of JSON 2xx response bodies, or {@code null}
 * @param deprecation   last {@code Deprecation} response header value seen, or {@code null}
 * @param sunset        last {@code Sunset} response header value seen, or {@code null}
 */
public record LearnedOperation(String host, String method, PathTemplate path, long requests, long firstSeen,
                               long lastSeen, Map<Integer, Long> statuses, List<String> requestTypes,
                               List<String> responseTypes, Map<String, Long> queryParams, List<String> dataClasses,
                               List<String> authSchemes, List<String> apps, boolean appsTruncated,
                               ObjectNode requestSchema, ObjectNode responseSchema, String deprecation, String sunset) {
}

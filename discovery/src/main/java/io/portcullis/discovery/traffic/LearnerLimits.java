package io.portcullis.discovery.traffic;

/**
 * Bounds that keep the learner's memory proportional to the number of operations, never to the number of requests.
 *
 * @param maxHosts               hosts tracked; requests to further hosts are counted as dropped
 * @param maxOperationsPerHost   templates per host before the host is collapsed and flagged
 * @param maxLiteralsPerNode     distinct constant children under one path prefix before the position becomes a parameter
 * @param maxSegments            path segments considered; deeper segments fold into one trailing parameter
 * @param maxAppsPerOperation    calling apps remembered per operation
 * @param maxNamesPerOperation   query parameter names, data classes, content types remembered per operation
 */
public record LearnerLimits(int maxHosts, int maxOperationsPerHost, int maxLiteralsPerNode, int maxSegments,
                            int maxAppsPerOperation, int maxNamesPerOperation) {

    public LearnerLimits {
        if (maxHosts < 1 || maxOperationsPerHost < 2 || maxLiteralsPerNode < 2 || maxSegments < 1
                || maxAppsPerOperation < 1 || maxNamesPerOperation < 1) {
            throw new IllegalArgumentException("learner limits must be positive (operations and literals at least 2)");
        }
    }

    public static LearnerLimits defaults() {
        return new LearnerLimits(10_000, 2_000, 1_024, 32, 256, 64);
    }
}

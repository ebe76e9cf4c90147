package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths whose meaning could differ between the gateway and the vendor are refused; ordinary ones pass. */
class PathCheckTest {
    @ParameterizedTest
    @ValueSource(strings = {"/a/./b", "/a/../b", "/a/..", "/a/.", "/%2e/b", "/%2E%2e/b", "/.%2e/x", "/%2e./x", "/a/%2e%2E"})
    void dotSegmentsInAnySpellingAreRefused(String path) {
        assertThat(PathCheck.problem(path)).contains("dot segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a/.../b", "/a/..b", "/a/b..", "/v1.2/x", "/%2e%2e%2e/x", "/a/.well-known/x", "/file.json", "/%2e%2ex"})
    void dotsInsideNamesAreFine(String path) {
        assertThat(PathCheck.problem(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2fb", "/a%5Cb", "/a\\b", "/a%0ab", "/a b", "/a%2", "/a%zz", "/a//b"})
    void encodedSeparatorsControlsAndMalformedEscapesAreRefused(String path) {
        assertThat(PathCheck.problem(path)).isNotNull();
    }
}

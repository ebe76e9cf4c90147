package io.portcullis.discovery.code;

import java.util.List;

/**
 * What a manifest parser read: the dependencies it understood and the problems it met. A manifest with
 * problems still yields the dependencies it could read; a syntactically broken one yields a single problem.
 */
public record ManifestContents(List<DeclaredDependency> dependencies, List<String> problems) {
    public ManifestContents {
        dependencies = List.copyOf(dependencies);
        problems = List.copyOf(problems);
    }

    static ManifestContents broken(String problem) {
        return new ManifestContents(List.of(), List.of(problem));
    }
}

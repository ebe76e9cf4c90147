package io.portcullis.gateway.credential;

import io.portcullis.core.config.ConfigNode;
import io.portcullis.core.config.ConfigProblems;
import io.portcullis.core.config.CredentialSpec;

/** Test configs go through the real config reader, so what the tests use is what operators can write. */
final class Specs {
    private Specs() {
    }

    static CredentialSpec read(String yaml) {
        var problems = new ConfigProblems("test.yaml");
        var root = ConfigNode.parse(yaml, problems);
        var spec = CredentialSpec.read(root.mapping("credential"));
        root.done();
        if (!problems.isEmpty()) throw new IllegalArgumentException(problems.list().toString());
        return spec;
    }
}

package io.portcullis.inspect.schema;

import java.util.List;

/** A vendor spec could not be loaded or compiled; each problem names the spec file and, when known, the location. */
public final class SpecException extends Exception {
    private final List<String> problems;

    public SpecException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

package io.portcullis.core.config;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a file is read, so one load reports all of them rather than the first. */
public final class ConfigProblems {
    private final String file;
    private final List<ConfigProblem> problems = new ArrayList<>();

    public ConfigProblems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void add(int line, int column, String message, String fix) {
        problems.add(new ConfigProblem(file, line, column, message, fix));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    /** Throws if anything was reported. */
    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }
}

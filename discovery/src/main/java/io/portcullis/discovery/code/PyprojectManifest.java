package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pyproject.toml}: PEP 621 {@code [project] dependencies} and {@code optional-dependencies}, PEP 735
 * {@code [dependency-groups]}, and Poetry's {@code [tool.poetry.*dependencies]} tables. A line-oriented
 * reader of the TOML subset these sections use (no TOML library is on the classpath).
 */
public final class PyprojectManifest implements ManifestParser {
    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        String table = "";
        boolean inArray = false;
        boolean arrayIsDeps = false;
        for (int i = 0; i < lines.length; i++) {
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (inArray) {
                if (arrayIsDeps) {
                    for (String s : strings(line)) {
                        addRequirement(s, i + 1, deps, problems);
                    }
                }
                if (line.contains("]") && closesArray(line)) {
                    inArray = false;
                }
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    problems.add("line " + (i + 1) + ": malformed table header");
                    continue;
                }
                table = line.replace("[", "").replace("]", "").trim();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add("line " + (i + 1) + ": expected 'key = value'");
                continue;
            }
            String key = line.substring(0, eq).trim().replace("\"", "");
            String value = line.substring(eq + 1).trim();
            boolean pep621 = (table.equals("project") && key.equals("dependencies"))
                    || table.equals("project.optional-dependencies") || table.equals("dependency-groups");
            if (value.startsWith("[")) {
                if (pep621) {
                    for (String s : strings(value)) {
                        addRequirement(s, i + 1, deps, problems);
                    }
                }
                if (!closesArray(value)) {
                    inArray = true;
                    arrayIsDeps = pep621;
                }
            } else if (isPoetryDependencyTable(table) && !key.equals("python")) {
                String version = value.startsWith("\"") ? value.replace("\"", "") : value;
                deps.add(new DeclaredDependency(Ecosystem.PYPI, key, version, i + 1));
            }
        }
        return new ManifestContents(deps, problems);
    }

    private static boolean isPoetryDependencyTable(String table) {
        return table.equals("tool.poetry.dependencies") || table.equals("tool.poetry.dev-dependencies")
                || (table.startsWith("tool.poetry.group.") && table.endsWith(".dependencies"));
    }

    private static void addRequirement(String spec, int line, List<DeclaredDependency> deps, List<String> problems) {
        DeclaredDependency d = RequirementsManifest.requirement(spec.trim(), line);
        if (d == null) {
            problems.add("line " + line + ": not a requirement");
        } else {
            deps.add(d);
        }
    }

    /** True when the line's brackets close the array opened on it or before it (ignoring brackets in strings). */
    private static boolean closesArray(String line) {
        int depth = 0;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
        }
        return depth <= 0;
    }

    private static List<String> strings(String line) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
            char q = line.charAt(i);
            if (q == '"' || q == '\'') {
                int close = line.indexOf(q, i + 1);
                if (close < 0) {
                    break;
                }
                out.add(line.substring(i + 1, close));
                i = close;
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                return line.substring(0, i);
            }
        }
        return line;
    }
}

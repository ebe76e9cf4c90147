package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/** pip {@code requirements*.txt}: PEP 508 requirement lines; options ({@code -r}, {@code --index-url}) are skipped. */
public final class RequirementsManifest implements ManifestParser {
    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf(" #");
            if (line.trim().startsWith("#")) {
                continue;
            }
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty() || line.startsWith("-") || line.contains("://") && !line.contains("@")) {
                continue;
            }
            DeclaredDependency d = requirement(line, i + 1);
            if (d == null) {
                problems.add("line " + (i + 1) + ": not a requirement");
            } else {
                deps.add(d);
            }
        }
        return new ManifestContents(deps, problems);
    }

    /** Parses a PEP 508 requirement ("name[extra]>=1.0; marker" or "name @ url"), or null. */
    static DeclaredDependency requirement(String spec, int line) {
        int n = 0;
        while (n < spec.length() && (Character.isLetterOrDigit(spec.charAt(n)) || spec.charAt(n) == '-' || spec.charAt(n) == '_' || spec.charAt(n) == '.')) {
            n++;
        }
        if (n == 0 || !Character.isLetterOrDigit(spec.charAt(0)) || spec.charAt(0) > 127) {
            return null;
        }
        String name = spec.substring(0, n);
        String rest = spec.substring(n).trim();
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            rest = close < 0 ? "" : rest.substring(close + 1).trim();
        }
        int semi = rest.indexOf(';');
        if (semi >= 0) {
            rest = rest.substring(0, semi).trim();
        }
        if (!rest.isEmpty() && "<>=!~@(,".indexOf(rest.charAt(0)) < 0) {
            return null;
        }
        return new DeclaredDependency(Ecosystem.PYPI, name, rest, line);
    }
}

package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code go.mod}: {@code require} lines and blocks; other directives are recognised and skipped. */
public final class GoModManifest implements ManifestParser {
    private static final Set<String> DIRECTIVES = Set.of("module", "go", "toolchain", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore");

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        String block = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int comment = line.indexOf("//");
            if (comment >= 0) {
                line = line.substring(0, comment);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            if (block != null) {
                if (line.equals(")")) {
                    block = null;
                } else if (block.equals("require")) {
                    require(line, i + 1, deps, problems);
                }
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (!DIRECTIVES.contains(parts[0])) {
                problems.add("line " + (i + 1) + ": unknown go.mod directive '" + (parts[0].length() > 30 ? parts[0].substring(0, 30) : parts[0]) + "'");
                continue;
            }
            if (parts.length == 2 && parts[1].trim().equals("(")) {
                block = parts[0];
            } else if (parts[0].equals("require") && parts.length == 2) {
                require(parts[1].trim(), i + 1, deps, problems);
            }
        }
        return new ManifestContents(deps, problems);
    }

    private static void require(String spec, int line, List<DeclaredDependency> deps, List<String> problems) {
        String[] p = spec.split("\\s+");
        if (p.length < 2 || !p[1].startsWith("v")) {
            problems.add("line " + line + ": expected 'module/path vX.Y.Z'");
            return;
        }
        deps.add(new DeclaredDependency(Ecosystem.GO, p[0].replace("\"", ""), p[1], line));
    }
}

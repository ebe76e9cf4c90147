package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/** {@code yarn.lock}, classic (v1) and Berry: entry headers {@code "name@range", name@range:} and their version. */
public final class YarnLockManifest implements ManifestParser {
    @Override
    public boolean lockFile() {
        return true;
    }

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        List<String> pendingNames = new ArrayList<>();
        int pendingLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                flush(deps, pendingNames, pendingLine, "");
                String header = line.trim();
                if (!header.endsWith(":")) {
                    problems.add("line " + (i + 1) + ": not a yarn.lock entry header");
                    continue;
                }
                header = header.substring(0, header.length() - 1);
                if (header.equals("__metadata")) {
                    continue;
                }
                for (String spec : header.split(",")) {
                    String s = spec.replace("\"", "").trim();
                    int at = s.indexOf('@', 1);
                    String name = at > 0 ? s.substring(0, at) : s;
                    if (!name.isEmpty() && !pendingNames.contains(name)) {
                        pendingNames.add(name);
                    }
                }
                pendingLine = i + 1;
            } else if (!pendingNames.isEmpty()) {
                String t = line.trim();
                if (t.startsWith("version ") || t.startsWith("version:")) {
                    String v = t.substring(8).trim();
                    if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                        v = v.substring(1, v.length() - 1);
                    }
                    flush(deps, pendingNames, pendingLine, v);
                }
            }
        }
        flush(deps, pendingNames, pendingLine, "");
        return new ManifestContents(deps, problems);
    }

    private static void flush(List<DeclaredDependency> deps, List<String> names, int line, String version) {
        for (String n : names) {
            deps.add(new DeclaredDependency(Ecosystem.NPM, n, version, line));
        }
        names.clear();
    }
}

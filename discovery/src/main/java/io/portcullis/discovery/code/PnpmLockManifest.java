package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pnpm-lock.yaml}: the keys of the top-level {@code packages:} map, in the v5 ({@code /name/1.0.0}),
 * v6 ({@code /name@1.0.0(peer@2)}) and v9 ({@code name@1.0.0}) spellings.
 */
public final class PnpmLockManifest implements ManifestParser {
    @Override
    public boolean lockFile() {
        return true;
    }

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        int first = 0;
        while (first < lines.length && (lines[first].isBlank() || lines[first].startsWith("#") || lines[first].startsWith("---"))) {
            first++;
        }
        if (first >= lines.length || !lines[first].startsWith("lockfileVersion")) {
            return ManifestContents.broken("line " + (first + 1) + ": not a pnpm lock file (expected lockfileVersion)");
        }
        boolean inPackages = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                inPackages = line.trim().equals("packages:");
                continue;
            }
            if (!inPackages || !line.startsWith("  ") || Character.isWhitespace(line.charAt(2)) || !line.trim().endsWith(":")) {
                continue;
            }
            String key = line.trim();
            key = key.substring(0, key.length() - 1).trim();
            if (key.length() >= 2 && (key.charAt(0) == '\'' || key.charAt(0) == '"')) {
                key = key.substring(1, key.length() - 1);
            }
            if (key.startsWith("/")) {
                key = key.substring(1);
            }
            int paren = key.indexOf('(');
            if (paren > 0) {
                key = key.substring(0, paren);
            }
            int at = key.indexOf('@', 1);
            String name;
            String version;
            if (at > 0) {
                name = key.substring(0, at);
                version = key.substring(at + 1);
            } else {
                int slash = key.lastIndexOf('/');
                if (slash <= 0) {
                    continue;
                }
                name = key.substring(0, slash);
                version = key.substring(slash + 1);
            }
            deps.add(new DeclaredDependency(Ecosystem.NPM, name, version, i + 1));
        }
        return new ManifestContents(deps, List.of());
    }
}

package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/** Bundler {@code Gemfile.lock}: gems listed under {@code specs:} (four-space indent: {@code name (version)}). */
public final class GemfileLockManifest implements ManifestParser {
    @Override
    public boolean lockFile() {
        return true;
    }

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        boolean inSpecs = false;
        boolean sawSpecs = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if (!line.startsWith(" ")) {
                inSpecs = false;
                continue;
            }
            if (line.equals("  specs:")) {
                inSpecs = true;
                sawSpecs = true;
                continue;
            }
            if (inSpecs && line.startsWith("    ") && !line.startsWith("     ")) {
                String t = line.trim();
                int paren = t.indexOf(" (");
                String name = paren > 0 ? t.substring(0, paren) : t;
                String version = paren > 0 && t.endsWith(")") ? t.substring(paren + 2, t.length() - 1) : "";
                deps.add(new DeclaredDependency(Ecosystem.RUBYGEMS, name, version, i + 1));
            }
        }
        if (!sawSpecs) {
            return ManifestContents.broken("line 1: not a Gemfile.lock (no 'specs:' section)");
        }
        return new ManifestContents(deps, List.of());
    }
}

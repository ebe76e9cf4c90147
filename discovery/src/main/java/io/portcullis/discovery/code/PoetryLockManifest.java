package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/** {@code poetry.lock}: the {@code name} and {@code version} of every {@code [[package]]} table. */
public final class PoetryLockManifest implements ManifestParser {
    @Override
    public boolean lockFile() {
        return true;
    }

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        boolean inPackage = false;
        String name = null;
        int nameLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("[")) {
                if (name != null) {
                    deps.add(new DeclaredDependency(Ecosystem.PYPI, name, "", nameLine));
                    name = null;
                }
                inPackage = line.equals("[[package]]");
            } else if (inPackage && line.startsWith("name") && line.contains("=")) {
                name = value(line);
                nameLine = i + 1;
            } else if (inPackage && name != null && line.startsWith("version") && line.contains("=")) {
                deps.add(new DeclaredDependency(Ecosystem.PYPI, name, value(line), nameLine));
                name = null;
            }
        }
        if (name != null) {
            deps.add(new DeclaredDependency(Ecosystem.PYPI, name, "", nameLine));
        }
        if (deps.isEmpty() && lines.length > 3) {
            return ManifestContents.broken("line 1: no [[package]] entries found");
        }
        return new ManifestContents(deps, List.of());
    }

    private static String value(String line) {
        return line.substring(line.indexOf('=') + 1).trim().replace("\"", "").replace("'", "");
    }
}

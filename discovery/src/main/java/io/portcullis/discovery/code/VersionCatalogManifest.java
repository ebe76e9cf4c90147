package io.portcullis.discovery.code;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradle version catalog ({@code libs.versions.toml}): entries of the {@code [libraries]} table, written as
 * {@code "g:a:v"}, {@code { module = "g:a", version.ref = "x" }} or {@code { group = "g", name = "a" }}.
 */
public final class VersionCatalogManifest implements ManifestParser {
    private static final Pattern SHORT = Pattern.compile("^[\\w.\\-]+\\s*=\\s*\"([^\":\\s]+):([^\":\\s]+)(?::([^\"\\s]*))?\"");
    private static final Pattern MODULE = Pattern.compile("module\\s*=\\s*\"([^\":\\s]+):([^\":\\s]+)\"");
    private static final Pattern GROUP_NAME = Pattern.compile("group\\s*=\\s*\"([^\"]+)\".*\\bname\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("version(?:\\.ref)?\\s*=\\s*\"([^\"]*)\"");

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        boolean inLibraries = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.startsWith("[")) {
                inLibraries = line.equals("[libraries]");
                continue;
            }
            if (!inLibraries || line.isEmpty() || line.startsWith("#") || line.length() > 2000) {
                continue;
            }
            Matcher m = SHORT.matcher(line);
            if (m.find()) {
                deps.add(new DeclaredDependency(Ecosystem.MAVEN, m.group(1) + ":" + m.group(2), m.group(3) == null ? "" : m.group(3), i + 1));
                continue;
            }
            String coordinate = null;
            if ((m = MODULE.matcher(line)).find()) {
                coordinate = m.group(1) + ":" + m.group(2);
            } else if ((m = GROUP_NAME.matcher(line)).find()) {
                coordinate = m.group(1) + ":" + m.group(2);
            }
            if (coordinate != null) {
                Matcher v = VERSION.matcher(line);
                deps.add(new DeclaredDependency(Ecosystem.MAVEN, coordinate, v.find() ? v.group(1) : "", i + 1));
            }
        }
        return new ManifestContents(deps, List.of());
    }
}

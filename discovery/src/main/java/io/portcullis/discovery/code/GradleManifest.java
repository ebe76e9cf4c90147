package io.portcullis.discovery.code;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.portcullis.discovery.registry.Ecosystem;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradle build scripts (Groovy or Kotlin DSL): {@code "group:artifact[:version]"} coordinates and the
 * {@code group: 'g', name: 'a', version: 'v'} map notation. Lines are matched with RE2/J (linear time).
 * Comment lines are ignored; nothing is evaluated, so versions from variables stay as written.
 */
public final class GradleManifest implements ManifestParser {
    private static final Pattern COORDINATE = Pattern.compile(
            "[\"']([A-Za-z0-9_.\\-]+):([A-Za-z0-9_.\\-]+)(?::([^\"'@:\\s]*))?(?::[^\"'@\\s]*)?(?:@[A-Za-z]+)?[\"']");
    private static final Pattern MAP = Pattern.compile(
            "group\\s*[:=]\\s*[\"']([^\"']+)[\"']\\s*,\\s*name\\s*[:=]\\s*[\"']([^\"']+)[\"'](?:\\s*,\\s*version\\s*[:=]\\s*[\"']([^\"']*)[\"'])?");

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        String[] lines = ManifestParser.lines(content, length);
        boolean inBlockComment = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (inBlockComment) {
                if (line.contains("*/")) {
                    inBlockComment = false;
                }
                continue;
            }
            if (line.startsWith("/*")) {
                inBlockComment = !line.contains("*/");
                continue;
            }
            if (line.startsWith("//") || line.isEmpty() || line.length() > 2000) {
                continue;
            }
            Matcher m = MAP.matcher(line);
            if (m.find()) {
                deps.add(new DeclaredDependency(Ecosystem.MAVEN, m.group(1) + ":" + m.group(2), m.group(3) == null ? "" : m.group(3), i + 1));
                continue;
            }
            m = COORDINATE.matcher(line);
            while (m.find()) {
                if (!m.group(1).contains(".") && m.group(3) == null) {
                    continue; // "foo:bar" without a dotted group or a version is not a coordinate
                }
                deps.add(new DeclaredDependency(Ecosystem.MAVEN, m.group(1) + ":" + m.group(2), m.group(3) == null ? "" : m.group(3), i + 1));
            }
        }
        return new ManifestContents(deps, List.of());
    }
}

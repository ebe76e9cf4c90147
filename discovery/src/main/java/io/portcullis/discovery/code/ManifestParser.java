package io.portcullis.discovery.code;

import java.nio.charset.StandardCharsets;

/**
 * Reads the dependencies a manifest or lock file declares. Implementations never throw on bad input:
 * syntax errors and unexpected structure are returned as problems, with the line where known.
 * XML parsers refuse DTDs and external entities.
 */
public sealed interface ManifestParser
        permits PomManifest, GradleManifest, NpmManifest, PackageLockManifest, YarnLockManifest, PnpmLockManifest,
        RequirementsManifest, PyprojectManifest, PoetryLockManifest, GoModManifest, GemfileLockManifest,
        CsprojManifest, VersionCatalogManifest {

    ManifestContents parse(byte[] content, int length);

    /** Lock files are machine-written: the scanner reads only their dependencies (not URLs or secrets). */
    default boolean lockFile() {
        return false;
    }

    /** The parser for a file name, or null when the file is not a manifest the scanner understands. */
    static ManifestParser forFileName(String name) {
        return switch (name) {
            case "pom.xml" -> new PomManifest();
            case "build.gradle", "build.gradle.kts" -> new GradleManifest();
            case "libs.versions.toml" -> new VersionCatalogManifest();
            case "package.json" -> NpmManifest.packageJson();
            case "composer.json" -> NpmManifest.composerJson();
            case "package-lock.json", "npm-shrinkwrap.json" -> new PackageLockManifest();
            case "yarn.lock" -> new YarnLockManifest();
            case "pnpm-lock.yaml" -> new PnpmLockManifest();
            case "pyproject.toml" -> new PyprojectManifest();
            case "poetry.lock" -> new PoetryLockManifest();
            case "go.mod" -> new GoModManifest();
            case "Gemfile.lock" -> new GemfileLockManifest();
            default -> {
                if (name.endsWith(".csproj")) {
                    yield new CsprojManifest();
                }
                if (name.startsWith("requirements") && name.endsWith(".txt")) {
                    yield new RequirementsManifest();
                }
                yield null;
            }
        };
    }

    static String[] lines(byte[] content, int length) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i == length || content[i] == '\n') {
                int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
                out.add(new String(content, start, end - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out.toArray(String[]::new);
    }
}

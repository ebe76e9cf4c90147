package io.portcullis.discovery.registry;

import java.util.Locale;

/** A package ecosystem whose manifests the repo scanner reads; the key is the registry file's field name. */
public enum Ecosystem {
    MAVEN("maven"), NPM("npm"), PYPI("pypi"), GO("go"), RUBYGEMS("rubygems"), COMPOSER("composer"), NUGET("nuget");

    private final String key;

    Ecosystem(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /**
     * The canonical form of a package name in this ecosystem, so that lookups are insensitive to the
     * spellings the ecosystem itself treats as equal (PEP 503 for PyPI, case for NuGet and Composer).
     */
    public String normalize(String name) {
        return switch (this) {
            case PYPI -> name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
            case NUGET, COMPOSER -> name.toLowerCase(Locale.ROOT);
            default -> name;
        };
    }

    public static Ecosystem fromKey(String key) {
        for (Ecosystem e : values()) {
            if (e.key.equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown ecosystem '" + key + "' (expected one of maven, npm, pypi, go, rubygems, composer, nuget)");
    }
}

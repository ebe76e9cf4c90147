package io.portcullis.discovery.code;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.portcullis.discovery.registry.Ecosystem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * npm {@code package-lock.json} / {@code npm-shrinkwrap.json}: lockfile v2/v3 {@code packages}
 * ({@code node_modules/a/node_modules/@s/b} keys), or v1 nested {@code dependencies} when there is no
 * {@code packages} section.
 */
public final class PackageLockManifest implements ManifestParser {
    @Override
    public boolean lockFile() {
        return true;
    }

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> packages = new ArrayList<>();
        List<DeclaredDependency> legacy = new ArrayList<>();
        try (JsonParser p = NpmManifest.JSON.createParser(content, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ManifestContents.broken("line 1: expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("packages") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        int line = p.currentLocation().getLineNr();
                        p.nextToken();
                        String version = versionOf(p);
                        int at = key.lastIndexOf("node_modules/");
                        if (at >= 0) {
                            packages.add(new DeclaredDependency(Ecosystem.NPM, key.substring(at + 13), version, line));
                        }
                    }
                } else if (field.equals("dependencies") && value == JsonToken.START_OBJECT) {
                    readLegacy(p, legacy, 0);
                } else {
                    p.skipChildren();
                }
            }
            while (p.nextToken() != null) {
                // drain
            }
        } catch (JsonProcessingException e) {
            return new ManifestContents(packages.isEmpty() ? legacy : packages, List.of(NpmManifest.describe(e)));
        } catch (IOException e) {
            return ManifestContents.broken("unreadable: " + e.getClass().getSimpleName());
        }
        return new ManifestContents(packages.isEmpty() ? legacy : packages, List.of());
    }

    /** Reads the object the parser is on, returning its "version" and skipping everything else. */
    private static String versionOf(JsonParser p) throws IOException {
        String version = "";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return version;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            if (f.equals("version") && v == JsonToken.VALUE_STRING) {
                version = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return version;
    }

    private static void readLegacy(JsonParser p, List<DeclaredDependency> out, int depth) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            int line = p.currentLocation().getLineNr();
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String version = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                if (f.equals("version") && v == JsonToken.VALUE_STRING) {
                    version = p.getText();
                } else if (f.equals("dependencies") && v == JsonToken.START_OBJECT && depth < 64) {
                    readLegacy(p, out, depth + 1);
                } else {
                    p.skipChildren();
                }
            }
            out.add(new DeclaredDependency(Ecosystem.NPM, name, version, line));
        }
    }
}

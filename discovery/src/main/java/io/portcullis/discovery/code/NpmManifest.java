package io.portcullis.discovery.code;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.portcullis.discovery.registry.Ecosystem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code package.json} (npm) and {@code composer.json} (Composer): the dependency sections' keys. */
public final class NpmManifest implements ManifestParser {
    static final JsonFactory JSON = JsonFactory.builder().build();

    private final Ecosystem ecosystem;
    private final Set<String> sections;

    private NpmManifest(Ecosystem ecosystem, Set<String> sections) {
        this.ecosystem = ecosystem;
        this.sections = sections;
    }

    static NpmManifest packageJson() {
        return new NpmManifest(Ecosystem.NPM, Set.of("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"));
    }

    static NpmManifest composerJson() {
        return new NpmManifest(Ecosystem.COMPOSER, Set.of("require", "require-dev"));
    }

    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        try (JsonParser p = JSON.createParser(content, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ManifestContents.broken("line 1: expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (sections.contains(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        int line = p.currentLocation().getLineNr();
                        JsonToken v = p.nextToken();
                        String version = v == JsonToken.VALUE_STRING ? p.getText() : "";
                        p.skipChildren();
                        deps.add(new DeclaredDependency(ecosystem, name, version, line));
                    }
                } else {
                    p.skipChildren();
                }
            }
            while (p.nextToken() != null) {
                // drain, so trailing garbage is reported
            }
        } catch (JsonProcessingException e) {
            return new ManifestContents(deps, List.of(describe(e)));
        } catch (IOException e) {
            return new ManifestContents(deps, List.of("unreadable: " + e.getClass().getSimpleName()));
        }
        return new ManifestContents(deps, List.of());
    }

    static String describe(JsonProcessingException e) {
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        // Jackson quotes offending tokens, which could be secrets: keep only short ones (punctuation, keywords)
        String msg = String.valueOf(e.getOriginalMessage()).replaceAll("'[^']{4,}'", "'...'").lines().findFirst().orElse("");
        return (line > 0 ? "line " + line + ": " : "") + "invalid JSON: " + msg;
    }
}

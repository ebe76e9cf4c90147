package io.portcullis.core.secret;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a secret lives; configuration holds these, never the secret itself.
 *
 * <ul>
 *   <li>{@code env:NAME} — an environment variable of the gateway process;</li>
 *   <li>{@code file:PATH} — a file (one trailing newline is ignored), e.g. a mounted Kubernetes secret;</li>
 *   <li>{@code store:name/key} — the primary version of an entry in the encrypted {@link SecretStore}.</li>
 * </ul>
 * A reference's text is not secret and may appear in errors; the value it resolves to never does.
 */
public sealed interface SecretRef {
    /** The reference as written in configuration, e.g. {@code store:stripe/api-key}. */
    String text();

    record Env(String name) implements SecretRef {
        public String text() {
            return "env:" + name;
        }
    }

    record File(String path) implements SecretRef {
        public String text() {
            return "file:" + path;
        }
    }

    /** An entry of the encrypted store; {@code entry} is {@code name/key}. */
    record Store(String entry) implements SecretRef {
        public String text() {
            return "store:" + entry;
        }
    }

    Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    Pattern STORE_ENTRY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}/[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** True when the text starts like a reference ({@code env:}, {@code file:}, {@code store:}). */
    static boolean looksLikeReference(String text) {
        return text != null && (text.startsWith("env:") || text.startsWith("file:") || text.startsWith("store:"));
    }

    /**
     * Parses a reference. The error message (empty when valid) never repeats the text when it does not look
     * like a reference, since an operator may have pasted the secret itself.
     */
    static Optional<SecretRef> parse(String text, StringBuilder error) {
        if (text == null || !looksLikeReference(text)) {
            error.append("a secret must be given as a reference (env:NAME, file:PATH or store:name/key), not inline");
            return Optional.empty();
        }
        if (text.startsWith("env:")) {
            String n = text.substring(4);
            if (!ENV_NAME.matcher(n).matches()) {
                error.append("'").append(text).append("' is not a valid environment variable reference");
                return Optional.empty();
            }
            return Optional.of(new Env(n));
        }
        if (text.startsWith("file:")) {
            String p = text.substring(5);
            if (p.isEmpty() || p.indexOf('\0') >= 0) {
                error.append("'file:' needs a path");
                return Optional.empty();
            }
            return Optional.of(new File(p));
        }
        String e = text.substring(6);
        if (!STORE_ENTRY.matcher(e).matches()) {
            error.append("'").append(text).append("' is not a valid store reference");
            return Optional.empty();
        }
        return Optional.of(new Store(e));
    }

    /** Parses or throws {@link IllegalArgumentException} (message safe to show). */
    static SecretRef of(String text) {
        var err = new StringBuilder();
        return parse(text, err).orElseThrow(() -> new IllegalArgumentException(err.toString()));
    }
}

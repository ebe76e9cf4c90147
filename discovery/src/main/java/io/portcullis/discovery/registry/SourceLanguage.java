package io.portcullis.discovery.registry;

/**
 * A language whose import statements the repo scanner reads. JavaScript and Go imports name packages of the
 * npm and Go ecosystems directly; the others name modules or namespaces listed per vendor under {@code imports}.
 */
public enum SourceLanguage {
    JAVA("java", '.'), JAVASCRIPT(null, '/'), PYTHON("python", '.'), GO(null, '/'), RUBY("ruby", '/'),
    PHP("php", '\\'), CSHARP("csharp", '.');

    private final String key;
    private final char separator;

    SourceLanguage(String key, char separator) {
        this.key = key;
        this.separator = separator;
    }

    /** The registry field name, or null when imports are matched against an ecosystem's package names. */
    public String key() {
        return key;
    }

    /** The character that separates the segments of a module name in this language. */
    public char separator() {
        return separator;
    }
}

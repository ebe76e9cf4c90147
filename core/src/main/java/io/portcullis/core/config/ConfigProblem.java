package io.portcullis.core.config;

/**
 * One thing wrong with a configuration file, located precisely and paired with what to write instead.
 *
 * @param file   the file as the operator named it
 * @param line   1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param message what is wrong, never containing a secret value
 * @param fix    what to write instead (may be empty)
 */
public record ConfigProblem(String file, int line, int column, String message, String fix) {
    /** {@code file:line:column: message (fix: ...)} — the form editors and CI logs link to. */
    public String render() {
        var sb = new StringBuilder().append(file).append(':').append(line).append(':').append(column)
                .append(": ").append(message);
        if (fix != null && !fix.isEmpty()) sb.append("\n    fix: ").append(fix);
        return sb.toString();
    }
}

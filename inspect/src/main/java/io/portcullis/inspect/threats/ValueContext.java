package io.portcullis.inspect.threats;

/**
 * Where a string value came from. The context decides which decodings are applied before inspection
 * ({@code +} means space only in query and form values) and whether query parameters inside a URL are inspected.
 */
public enum ValueContext {
    JSON_VALUE, JSON_KEY, HEADER, QUERY_VALUE, FORM_FIELD, URL, XML_TEXT;

    boolean plusIsSpace() {
        return this == QUERY_VALUE || this == FORM_FIELD || this == URL;
    }
}

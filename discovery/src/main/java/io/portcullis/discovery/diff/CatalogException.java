package io.portcullis.discovery.diff;

/** A catalog spec could not be read; the message names the file and the parser's complaints, never a stack trace. */
public final class CatalogException extends Exception {
    public CatalogException(String message) {
        super(message);
    }
}

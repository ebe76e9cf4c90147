package io.portcullis.inspect.dlp;

/**
 * How likely a finding is to be real sensitive data, in the manner of Google Cloud DLP and Presidio:
 * a validated shape starts at {@link #POSSIBLE}; context words nearby (a JSON key {@code card_number},
 * the word "phone") raise it; well-known test and sample values (test card {@code 4111111111111111},
 * {@code sk_test_} keys) lower it, but they are still reported.
 */
public enum Likelihood {
    VERY_UNLIKELY, UNLIKELY, POSSIBLE, LIKELY, VERY_LIKELY;

    Likelihood raise() {
        return this == VERY_LIKELY ? this : values()[ordinal() + 1];
    }
}

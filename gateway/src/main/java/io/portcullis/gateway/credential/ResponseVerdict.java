package io.portcullis.gateway.credential;

/**
 * What the broker concluded from the vendor's response to a request it authenticated.
 *
 * <p>Contract with the pipeline: on {@link Retry} the pipeline may send the request once more, with a
 * fresh {@link ApiCredential#attach attachment}, if and only if (a) this was the first attempt and (b) it
 * still holds the whole request body (bodies up to {@link ApiCredential#REPLAY_BODY_LIMIT} are kept until
 * the response head arrives; larger or streamed bodies are not replayed and the vendor's response is
 * delivered as is). Never more than one retry per exchange.
 */
public sealed interface ResponseVerdict {
    /** Hand the response to the app. */
    record Deliver() implements ResponseVerdict {
    }

    /**
     * Send again with a new attachment. {@code reason} is {@code invalid_token} (the token was dropped and a
     * new one is being fetched, single-flight) or {@code use_dpop_nonce} (the server's nonce was recorded).
     */
    record Retry(String reason) implements ResponseVerdict {
    }

    Deliver DELIVER = new Deliver();
    Retry RETRY_TOKEN = new Retry("invalid_token");
    Retry RETRY_NONCE = new Retry("use_dpop_nonce");
}

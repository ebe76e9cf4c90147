package io.portcullis.gateway.credential;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The vendor credential of one API, as the data plane uses it.
 *
 * <p>Per request: {@link #strip()} says what to remove from the app's request, {@link #attach} gives what to
 * add (at once — an already-completed future — when the credential is static or a token is cached; after an
 * asynchronous token fetch otherwise; exceptionally with {@link CredentialUnavailableException} when no
 * token can be had, which the gateway answers with a 503 problem and {@code Retry-After}). After the
 * vendor's response head, {@link #onResponse} records DPoP nonces and says whether to replay once (see
 * {@link ResponseVerdict} for the replay contract).
 *
 * <p>Never blocks; safe to call from any thread. A secret rotation replaces the attachments atomically:
 * requests in flight finish with the value they were given.
 */
public sealed interface ApiCredential permits StaticCredential, OAuth2Credential {
    /** Request bodies up to this size are kept until the response head so a {@link ResponseVerdict.Retry} can replay them. */
    int REPLAY_BODY_LIMIT = 64 * 1024;

    /** The API id ({@code vendor/name}). */
    String api();

    /** For the audit: {@code header}, {@code bearer}, {@code basic}, {@code query}, {@code oauth2}, {@code dpop}. */
    String scheme();

    /** True for credentials in the query string (flagged weak in the audit). */
    boolean weak();

    StripRules strip();

    CompletableFuture<Attachment> attach(RequestTarget target);

    /**
     * @param used            the attachment the request was sent with
     * @param status          the vendor's status code
     * @param wwwAuthenticate the {@code WWW-Authenticate} header, or null
     * @param dpopNonce       the {@code DPoP-Nonce} header, or null
     */
    ResponseVerdict onResponse(Attachment used, int status, String wwwAuthenticate, String dpopNonce);

    /** The client certificate the upstream must present for this API (RFC 8705), if configured. */
    Optional<ClientTlsIdentity> clientTls();
}

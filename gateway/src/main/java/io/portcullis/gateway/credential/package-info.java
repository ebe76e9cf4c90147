/**
 * Credential brokering: apps never hold a vendor secret.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.portcullis.gateway.credential.CredentialBroker} — builds one
 *       {@link io.portcullis.gateway.credential.ApiCredential} per API from its
 *       {@link io.portcullis.core.config.CredentialSpec}, owns the shared {@link io.portcullis.gateway.credential.TokenCache},
 *       watches the secret store for rotations and reports credentials past {@code maxAge}.</li>
 *   <li>{@link io.portcullis.gateway.credential.StaticCredential} — header key, bearer, Basic, query parameter.</li>
 *   <li>{@link io.portcullis.gateway.credential.OAuth2Credential} — client credentials (RFC 6749 §4.4) with
 *       client_secret_basic / client_secret_post / private_key_jwt (RFC 7523) / tls_client_auth (RFC 8705),
 *       optional DPoP (RFC 9449, {@link io.portcullis.gateway.credential.DpopProver}) or certificate binding
 *       ({@link io.portcullis.gateway.credential.ClientTlsIdentity}).</li>
 *   <li>{@link io.portcullis.gateway.policy.CredentialPolicy} — the {@code ExchangePolicy} that strips what the
 *       app sent, attaches the credential, and reads the vendor's 401s.</li>
 * </ul>
 *
 * <h2>Wiring (done by {@code main})</h2>
 * <pre>{@code
 * var resolver = new SecretResolver(System.getenv(), new SecretStore(storeFile, MasterKey.fromEnvironment(System.getenv())));
 * spec.checkSecrets(resolver, problems);                 // at config load: missing/undecryptable secret = config error
 * var broker = new CredentialBroker(resolver, Clock.systemUTC(), ageEvent -> bus.publish(...), null);
 * broker.register(api.id(), spec);                       // for every API with a credential: section (again on reload)
 * broker.startWatching(Duration.ofSeconds(2));           // rotation pick-up and daily maxAge events
 * broker.prefetchAll();                                  // optional: warm the token cache at startup
 * new SnapshotCompiler(metrics, events, List.of(..., CredentialPolicy.contributor(broker)));  // after DLP
 * }</pre>
 *
 * <h2>Contract with the pipeline</h2>
 * {@code onRequestHead} completes at once for static keys and cached tokens; otherwise it returns
 * {@code Pending} (token fetch on virtual threads / async HTTP) and rejects with a 503
 * {@code credential-unavailable} problem carrying {@code Retry-After} when no token can be had.
 * After {@code onResponseHead}, {@link io.portcullis.gateway.policy.CredentialPolicy#retryRequested} says whether
 * the vendor's 401 ({@code invalid_token}, or DPoP {@code use_dpop_nonce}) warrants one replay; the pipeline replays
 * at most once, only if it kept the whole request body (≤ {@link io.portcullis.gateway.credential.ApiCredential#REPLAY_BODY_LIMIT}),
 * running {@code onRequestHead} again for the new attempt. Without replay the 401 reaches the app, and the next
 * request already uses the fresh token / nonce.
 *
 * <p>Upstream mTLS for RFC 8705: when {@code ApiCredential.clientTls()} is present the upstream TLS context must use
 * its {@code keyManager()}, so the API calls present the certificate the token is bound to.
 */
package io.portcullis.gateway.credential;

package io.portcullis.gateway.credential;

/** Receives {@link CredentialAgeEvent}s (at most one per credential per day); connected to the event bus by {@code main}. */
@FunctionalInterface
public interface CredentialAgeListener {
    void onCredentialTooOld(CredentialAgeEvent event);
}

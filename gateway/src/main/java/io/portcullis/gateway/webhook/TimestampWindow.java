package io.portcullis.gateway.webhook;

import java.time.Clock;
import java.time.Instant;

/** Accepts a signed Unix timestamp no older than {@code pastSeconds} and no newer than {@code futureSeconds} ahead. */
record TimestampWindow(long pastSeconds, long futureSeconds, Clock clock) {

    Instant check(long signedSeconds) {
        long now = clock.instant().getEpochSecond();
        if (signedSeconds < now - pastSeconds) {
            throw new Refusal(RejectReason.TIMESTAMP_TOO_OLD, "signed timestamp is " + (now - signedSeconds)
                    + " s old; at most " + pastSeconds + " s is accepted");
        }
        if (signedSeconds > now + futureSeconds) {
            throw new Refusal(RejectReason.TIMESTAMP_IN_FUTURE, "signed timestamp is " + (signedSeconds - now)
                    + " s in the future; at most " + futureSeconds + " s of clock skew is accepted");
        }
        return Instant.ofEpochSecond(signedSeconds);
    }
}

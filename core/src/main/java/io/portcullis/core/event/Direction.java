package io.portcullis.core.event;

/** Which way an exchange crossed the gateway. */
public enum Direction {
    /** An internal app called a third party through the gateway. */
    OUTBOUND,
    /** A third party called in (webhook) and the gateway forwarded to an internal service. */
    INBOUND
}

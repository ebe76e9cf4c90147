package io.portcullis.core.config;

/**
 * What the gateway does with {@code Forwarded} and {@code X-Forwarded-*} request headers toward a vendor.
 * Internal topology is nobody's business outside, so the default is {@link #STRIP}.
 */
public enum ForwardedPolicy {
    /** Remove any such headers the app sent and add none: the vendor sees only the gateway. */
    STRIP,
    /** Remove what the app sent and set {@code X-Forwarded-For/Proto/Host} from what the gateway observed. */
    SET,
    /** Keep what the app sent and append the gateway's observation. */
    APPEND
}

package io.portcullis.discovery.registry;

/** What the registry knows about a host (and path) seen in code or traffic. */
public sealed interface HostClass {
    /** The host serves a known vendor's API. */
    record Api(Vendor vendor) implements HostClass {}

    /** The host is a known vendor's website or documentation, not its API. */
    record Web(Vendor vendor) implements HostClass {}

    /** A host that is never an API of interest (schema namespaces, package registries, reserved names). */
    record NotApi() implements HostClass {}

    /** A host the registry does not know: possibly a shadow third-party API. */
    record Unknown() implements HostClass {}

    NotApi NOT_API = new NotApi();
    Unknown UNKNOWN = new Unknown();
}

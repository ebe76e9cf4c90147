package io.portcullis.inspect.threats;

/** The closed set of injection classes the threat engine recognises. */
public enum ThreatCategory {
    /** SQL injection: a break-out of a string or number context followed by a valid SQL fragment. */
    SQLI,
    /** Cross-site scripting: active HTML (script-capable tags, event handlers), script URLs, attribute or JS break-outs. */
    XSS,
    /** OS command injection: a shell separator followed by a command with shell-like arguments. */
    CMDI,
    /** Path traversal: dot-dot segments (in any encoding) or direct references to sensitive system files. */
    PATH_TRAVERSAL,
    /** Server-side template / expression-language injection, including JNDI lookups. */
    SSTI,
    /** SSRF bait: URLs whose host is loopback, link-local/metadata, private, or an internal name, in any encoding. */
    SSRF,
    /** XML external entities, DTD entity expansion and XInclude. */
    XXE,
    /** LDAP filter injection. */
    LDAPI,
    /** NoSQL (MongoDB) operator injection and server-side JavaScript break-outs. */
    NOSQLI
}

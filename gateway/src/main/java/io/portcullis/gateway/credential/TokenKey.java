package io.portcullis.gateway.credential;

import java.util.List;

/**
 * What a cached token is valid for: one token endpoint, one client, one set of scopes/audience/resource,
 * one key binding (DPoP key thumbprint or mTLS certificate thumbprint; empty when unbound). Two APIs with
 * the same key share a token; anything else differs and gets its own.
 */
public record TokenKey(String tokenUrl, String clientId, List<String> scopes, String audience, String resource, String binding) {
    public TokenKey {
        scopes = scopes.stream().sorted().distinct().toList();
    }
}

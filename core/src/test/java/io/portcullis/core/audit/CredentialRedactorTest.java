package io.portcullis.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialRedactorTest {

    @Test
    void everyQueryValueIsRedactedAndNamesAreKept() {
        assertThat(CredentialRedactor.query("a=1&b=&c")).isEqualTo("a=REDACTED&b=REDACTED&c");
        assertThat(CredentialRedactor.query("?limit=10&api_key=sk_live_x")).isEqualTo("limit=REDACTED&api_key=REDACTED");
        assertThat(CredentialRedactor.query("x=1&&y=2&")).isEqualTo("x=REDACTED&&y=REDACTED&");
        assertThat(CredentialRedactor.query("a=b=c")).isEqualTo("a=REDACTED");
        assertThat(CredentialRedactor.query("")).isEmpty();
        assertThat(CredentialRedactor.query(null)).isNull();
    }

    @Test
    void bareQueryComponentsThatLookLikeValuesAreRedacted() {
        assertThat(CredentialRedactor.query("debug")).isEqualTo("debug");
        assertThat(CredentialRedactor.query("AbC123xyzAbC123xyzAbC123xyzAbC123xyz")).isEqualTo("REDACTED");
        assertThat(CredentialRedactor.query("a b=1")).isEqualTo("REDACTED=REDACTED");
    }

    @Test
    void credentialNamedKeysAreSensitive() {
        for (String k : new String[] {"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "x-api-key",
                "access_token", "client_secret", "PASSWORD", "session_id", "X-Hub-Signature-256", "private_key"}) {
            assertThat(CredentialRedactor.isSensitiveKey(k)).as(k).isTrue();
        }
        for (String k : new String[] {"route", "content-type", "upstream", "retry_after", "actual_pins"}) {
            assertThat(CredentialRedactor.isSensitiveKey(k)).as(k).isFalse();
        }
        assertThat(CredentialRedactor.attribute("Authorization", "Basic dXNlcjpwYXNz")).isEqualTo("REDACTED");
    }

    @Test
    void freeTextLosesTokensButKeepsItsMeaning() {
        assertThat(CredentialRedactor.text("401 from upstream: Bearer abcdefghijklmnop rejected"))
                .isEqualTo("401 from upstream: Bearer REDACTED rejected");
        assertThat(CredentialRedactor.text("GET https://h/x?key=abc123&page=2 failed"))
                .isEqualTo("GET https://h/x?key=REDACTED&page=REDACTED failed");
        assertThat(CredentialRedactor.text("password=hunter2hunter2")).isEqualTo("password=REDACTED");
        // Stripe documents secret keys as sk_live_ followed by an alphanumeric string.
        assertThat(CredentialRedactor.text("used sk_live_4eC39HqLyjWDarjtT1zdp7dc")).isEqualTo("used REDACTED");
        assertThat(CredentialRedactor.text("connect timeout after 10s")).isEqualTo("connect timeout after 10s");
    }

    @Test
    void authSchemeOnlyPassesSchemeShapedNames() {
        assertThat(CredentialRedactor.authScheme("oauth2-client-credentials")).isEqualTo("oauth2-client-credentials");
        assertThat(CredentialRedactor.authScheme("api-key-header")).isEqualTo("api-key-header");
        assertThat(CredentialRedactor.authScheme("bearer")).isEqualTo("bearer");
        assertThat(CredentialRedactor.authScheme("Bearer abc.def")).isEqualTo("other");
        assertThat(CredentialRedactor.authScheme("sk_live_4eC39HqLyjWDarjtT1zdp7dc")).isEqualTo("other");
        assertThat(CredentialRedactor.authScheme("a1b2c3d4e5f6g7h8")).isEqualTo("other");
    }

    @Test
    void chainKeyParsingNeverEchoesTheKey() {
        assertThat(AuditChainKey.parse("hex:00112233445566778899aabbccddeeff")).hasSize(16);
        assertThat(AuditChainKey.parse("base64:AAECAwQFBgcICQoLDA0ODw==")).hasSize(16);
        assertThat(AuditChainKey.parse(null)).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditChainKey.parse("short-secret"))
                .hasMessageContaining("at least 16 bytes").hasMessageNotContaining("short-secret");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditChainKey.parse("hex:zz-not-hex-secret-value"))
                .hasMessageContaining("not valid hex").hasMessageNotContaining("secret-value");
    }
}

package io.portcullis.inspect.dlp;

import static io.portcullis.inspect.dlp.ByteClasses.ALNUM;
import static io.portcullis.inspect.dlp.ByteClasses.B64;
import static io.portcullis.inspect.dlp.ByteClasses.B64URL;
import static io.portcullis.inspect.dlp.ByteClasses.DIGIT;
import static io.portcullis.inspect.dlp.ByteClasses.DOT;
import static io.portcullis.inspect.dlp.ByteClasses.HEX;
import static io.portcullis.inspect.dlp.ByteClasses.HEX_LOWER;
import static io.portcullis.inspect.dlp.ByteClasses.LOWER;
import static io.portcullis.inspect.dlp.ByteClasses.PLUS_SLASH;
import static io.portcullis.inspect.dlp.ByteClasses.UPPER;
import static io.portcullis.inspect.dlp.ByteClasses.EQUALS;
import static io.portcullis.inspect.dlp.ByteClasses.UNDERSCORE;
import static io.portcullis.inspect.dlp.VendorKeyRule.of;

import java.util.List;

/**
 * Prefixed vendor credentials, each written from the vendor's documentation of its key format (prefix,
 * alphabet, length). Keys without a fixed prefix (AWS secret keys, Mailchimp, generic secrets) are found by
 * context in {@link TextScanner} instead.
 */
final class VendorKeyCatalogue {
    private VendorKeyCatalogue() {}

    static final List<VendorKeyRule> ALL = List.of(
            // AWS: access key ids are 4-letter prefix + 16 base32 characters (IAM user guide, "Understanding unique ID prefixes").
            of("AWS_ACCESS_KEY_ID", "AWS", "AKIA", UPPER | DIGIT, 16, 16),
            of("AWS_ACCESS_KEY_ID", "AWS", "ASIA", UPPER | DIGIT, 16, 16),
            of("AWS_ACCESS_KEY_ID", "AWS", "ABIA", UPPER | DIGIT, 16, 16),
            of("AWS_ACCESS_KEY_ID", "AWS", "ACCA", UPPER | DIGIT, 16, 16),
            // Stripe: sk_/rk_ live and test secret keys, webhook signing secrets (docs "API keys").
            of("STRIPE_SECRET_KEY", "Stripe", "sk_live_", ALNUM, 24, 247),
            of("STRIPE_SECRET_KEY", "Stripe", "rk_live_", ALNUM, 24, 247),
            of("STRIPE_SECRET_KEY", "Stripe", "sk_test_", ALNUM, 24, 247).test(),
            of("STRIPE_SECRET_KEY", "Stripe", "rk_test_", ALNUM, 24, 247).test(),
            of("STRIPE_WEBHOOK_SECRET", "Stripe", "whsec_", ALNUM, 32, 64),
            // GitHub: "Behind GitHub's new authentication token formats" (2021): prefix + 36 base62; fine-grained PATs.
            of("GITHUB_TOKEN", "GitHub", "ghp_", ALNUM, 36, 36),
            of("GITHUB_TOKEN", "GitHub", "gho_", ALNUM, 36, 36),
            of("GITHUB_TOKEN", "GitHub", "ghu_", ALNUM, 36, 36),
            of("GITHUB_TOKEN", "GitHub", "ghs_", ALNUM, 36, 36),
            of("GITHUB_TOKEN", "GitHub", "ghr_", ALNUM, 36, 36),
            of("GITHUB_TOKEN", "GitHub", "github_pat_", ALNUM | UNDERSCORE, 82, 82),
            // GitLab: token prefixes (docs "Token overview").
            of("GITLAB_TOKEN", "GitLab", "glpat-", B64URL | DOT, 20, 80),
            of("GITLAB_TOKEN", "GitLab", "gldt-", B64URL, 20, 64),
            of("GITLAB_TOKEN", "GitLab", "glrt-", B64URL | DOT, 20, 80),
            of("GITLAB_TOKEN", "GitLab", "gloas-", B64URL, 32, 80),
            // Slack: bot/user/app tokens and incoming webhooks (docs "Token types").
            of("SLACK_TOKEN", "Slack", "xoxb-", ALNUM | ByteClasses.DASH, 20, 200),
            of("SLACK_TOKEN", "Slack", "xoxp-", ALNUM | ByteClasses.DASH, 20, 200),
            of("SLACK_TOKEN", "Slack", "xoxa-", ALNUM | ByteClasses.DASH, 20, 200),
            of("SLACK_TOKEN", "Slack", "xoxr-", ALNUM | ByteClasses.DASH, 20, 200),
            of("SLACK_TOKEN", "Slack", "xoxe-", ALNUM | ByteClasses.DASH, 20, 200),
            of("SLACK_TOKEN", "Slack", "xapp-", ALNUM | ByteClasses.DASH, 20, 200),
            of("SLACK_WEBHOOK_URL", "Slack", "https://hooks.slack.com/services/", ALNUM | PLUS_SLASH, 30, 120),
            // Google: API keys "AIza" + 35; OAuth client secrets "GOCSPX-" + 28.
            of("GOOGLE_API_KEY", "Google", "AIza", B64URL, 35, 35),
            of("GOOGLE_OAUTH_CLIENT_SECRET", "Google", "GOCSPX-", B64URL, 28, 28),
            // Twilio: API key SIDs "SK" + 32 lowercase hex.
            of("TWILIO_API_KEY", "Twilio", "SK", HEX_LOWER, 32, 32).with(VendorKeyCatalogue::hasLetterAndDigit),
            // SendGrid: "SG." + 22 + "." + 43 (base64url).
            of("SENDGRID_API_KEY", "SendGrid", "SG.", B64URL | DOT, 66, 66).with((b, s, bs, e) -> b[bs + 22] == '.'),
            // OpenAI: project/service-account/admin keys; legacy "sk-" keys carry the marker "T3BlbkFJ".
            of("OPENAI_API_KEY", "OpenAI", "sk-proj-", B64URL, 40, 200),
            of("OPENAI_API_KEY", "OpenAI", "sk-svcacct-", B64URL, 40, 200),
            of("OPENAI_API_KEY", "OpenAI", "sk-admin-", B64URL, 40, 200),
            of("OPENAI_API_KEY", "OpenAI", "sk-", ALNUM, 48, 48).with((b, s, bs, e) -> contains(b, bs, e, "T3BlbkFJ")),
            // Anthropic: "sk-ant-api03-" / "sk-ant-admin01-" + base64url body.
            of("ANTHROPIC_API_KEY", "Anthropic", "sk-ant-api03-", B64URL, 80, 120),
            of("ANTHROPIC_API_KEY", "Anthropic", "sk-ant-admin01-", B64URL, 80, 120),
            // Azure: storage account keys in connection strings are 64 bytes, Base64 (88 chars ending "==").
            of("AZURE_STORAGE_ACCOUNT_KEY", "Azure", "AccountKey=", B64, 88, 88).with((b, s, bs, e) -> b[e - 1] == '=' && b[e - 2] == '='),
            of("AZURE_SAS_TOKEN", "Azure", "sig=", ALNUM | PLUS_SLASH | ByteClasses.EQUALS | ByteClasses.DASH, 43, 60)
                    .with((b, s, bs, e) -> containsBefore(b, s, "sv=", 300)),
            // npm: "npm_" + 36 base62 (granular and classic automation tokens).
            of("NPM_TOKEN", "npm", "npm_", ALNUM, 36, 36),
            // PyPI: macaroon tokens "pypi-" + base64url of a macaroon whose location is pypi.org.
            of("PYPI_TOKEN", "PyPI", "pypi-AgEIcHlwaS5vcmc", B64URL, 50, 400),
            // Shopify: admin/custom/private app tokens and shared secrets, 32 hex.
            of("SHOPIFY_TOKEN", "Shopify", "shpat_", HEX, 32, 32),
            of("SHOPIFY_TOKEN", "Shopify", "shpca_", HEX, 32, 32),
            of("SHOPIFY_TOKEN", "Shopify", "shppa_", HEX, 32, 32),
            of("SHOPIFY_TOKEN", "Shopify", "shpss_", HEX, 32, 32),
            // DigitalOcean: personal/OAuth/refresh tokens "do?_v1_" + 64 hex.
            of("DIGITALOCEAN_TOKEN", "DigitalOcean", "dop_v1_", HEX_LOWER, 64, 64),
            of("DIGITALOCEAN_TOKEN", "DigitalOcean", "doo_v1_", HEX_LOWER, 64, 64),
            of("DIGITALOCEAN_TOKEN", "DigitalOcean", "dor_v1_", HEX_LOWER, 64, 64),
            // Hugging Face: "hf_" + 34 letters.
            of("HUGGINGFACE_TOKEN", "Hugging Face", "hf_", UPPER | LOWER, 34, 34),
            // Databricks: "dapi" + 32 hex (optionally "-2").
            of("DATABRICKS_TOKEN", "Databricks", "dapi", HEX_LOWER, 32, 32),
            // Postman: "PMAK-" + 24 hex + "-" + 34 hex.
            of("POSTMAN_API_KEY", "Postman", "PMAK-", HEX_LOWER | ByteClasses.DASH, 59, 59).with((b, s, bs, e) -> b[bs + 24] == '-'),
            // Linear: "lin_api_" + 40 base62.
            of("LINEAR_API_KEY", "Linear", "lin_api_", ALNUM, 40, 40),
            // Square: access tokens "EAAA" + 60; OAuth secrets "sq0csp-" + 43.
            of("SQUARE_ACCESS_TOKEN", "Square", "EAAA", B64URL, 60, 60),
            of("SQUARE_ACCESS_TOKEN", "Square", "sq0atp-", B64URL, 22, 22),
            of("SQUARE_OAUTH_SECRET", "Square", "sq0csp-", B64URL, 43, 43),
            // Atlassian: API tokens "ATATT3" + ~180 base64url characters with a checksum suffix.
            of("ATLASSIAN_API_TOKEN", "Atlassian", "ATATT3", B64URL | ByteClasses.EQUALS, 150, 250),
            // Grafana: cloud API tokens "glc_" + base64; service account tokens "glsa_" + 32 + "_" + 8 hex.
            of("GRAFANA_TOKEN", "Grafana", "glc_", B64, 32, 400),
            of("GRAFANA_TOKEN", "Grafana", "glsa_", ALNUM | UNDERSCORE, 41, 41).with((b, s, bs, e) -> b[bs + 32] == '_'),
            // New Relic: user API keys "NRAK-" + 27 uppercase base36.
            of("NEW_RELIC_API_KEY", "New Relic", "NRAK-", UPPER | DIGIT, 27, 27),
            // PlanetScale: service tokens and passwords.
            of("PLANETSCALE_TOKEN", "PlanetScale", "pscale_tkn_", B64URL | DOT, 32, 64),
            of("PLANETSCALE_TOKEN", "PlanetScale", "pscale_pw_", B64URL | DOT, 32, 64),
            // HashiCorp Vault: service and batch tokens (Vault 1.10+ format).
            of("HASHICORP_VAULT_TOKEN", "HashiCorp", "hvs.", B64URL, 24, 200),
            of("HASHICORP_VAULT_TOKEN", "HashiCorp", "hvb.", B64URL, 24, 400),
            // Sentry: org auth tokens "sntrys_" (base64 JSON + secret) and user tokens "sntryu_" + 64 hex.
            of("SENTRY_TOKEN", "Sentry", "sntrys_", B64 | UNDERSCORE, 60, 400),
            of("SENTRY_TOKEN", "Sentry", "sntryu_", HEX_LOWER, 64, 64),
            // Mailgun: private API keys "key-" + 32 hex.
            of("MAILGUN_API_KEY", "Mailgun", "key-", HEX_LOWER, 32, 32),
            // Alibaba Cloud: AccessKey IDs "LTAI" + 12-20 base62.
            of("ALIBABA_ACCESS_KEY_ID", "Alibaba Cloud", "LTAI", ALNUM, 12, 20).with(VendorKeyCatalogue::hasLetterAndDigit),
            // Discord webhooks: https://discord.com/api/webhooks/{id}/{token}.
            of("DISCORD_WEBHOOK_URL", "Discord", "https://discord.com/api/webhooks/", B64URL | PLUS_SLASH, 60, 120),
            of("DISCORD_WEBHOOK_URL", "Discord", "https://discordapp.com/api/webhooks/", B64URL | PLUS_SLASH, 60, 120),
            // Doppler: "dp.pt." (personal), "dp.st." (service) + 40-44 base62.
            of("DOPPLER_TOKEN", "Doppler", "dp.pt.", ALNUM, 40, 44),
            of("DOPPLER_TOKEN", "Doppler", "dp.st.", ALNUM | DOT | UNDERSCORE | ByteClasses.DASH, 40, 80),
            // Fly.io: "fo1_" + 43 base64url.
            of("FLYIO_TOKEN", "Fly.io", "fo1_", B64URL, 43, 43),
            // Figma: personal access tokens "figd_" + base64url.
            of("FIGMA_TOKEN", "Figma", "figd_", B64URL, 40, 48),
            // Pulumi: "pul-" + 40 hex.
            of("PULUMI_TOKEN", "Pulumi", "pul-", HEX_LOWER, 40, 40),
            // Notion: integration tokens "ntn_" + 46 base62.
            of("NOTION_TOKEN", "Notion", "ntn_", ALNUM, 46, 46),
            // Dropbox: short-lived access tokens "sl." + base64url.
            of("DROPBOX_TOKEN", "Dropbox", "sl.", B64URL, 130, 1400),
            // Private keys (PEM and OpenSSH) are handled by TextScanner; JWTs are structurally decoded:
            of("JWT", "IETF RFC 7519", "eyJ", B64URL | DOT, 20, 16384).with(VendorKeyCatalogue::isJwt));

    static boolean hasLetterAndDigit(byte[] b, int s, int bs, int e) {
        boolean l = false, d = false;
        for (int i = bs; i < e; i++) {
            if (ByteClasses.isDigit(b[i])) d = true;
            else l = true;
        }
        return l && d;
    }

    static boolean contains(byte[] b, int from, int to, String needle) {
        outer:
        for (int i = from; i + needle.length() <= to; i++) {
            for (int j = 0; j < needle.length(); j++) if (b[i + j] != needle.charAt(j)) continue outer;
            return true;
        }
        return false;
    }

    static boolean containsBefore(byte[] b, int pos, String needle, int window) {
        return contains(b, Math.max(0, pos - window), pos, needle);
    }

    /**
     * A JWT (RFC 7519, compact JWS): three base64url segments separated by dots; the header decodes to a JSON
     * object naming an {@code alg}, the payload to a JSON object. Unsecured JWTs (empty signature) count.
     */
    static boolean isJwt(byte[] b, int s, int bs, int e) {
        int d1 = -1, d2 = -1, dots = 0;
        for (int i = s; i < e; i++) {
            if (b[i] == '.') {
                dots++;
                if (dots == 1) d1 = i;
                else if (dots == 2) d2 = i;
            }
        }
        if (dots != 2 || d2 - d1 < 4) return false;
        if (b[d1 + 1] != 'e' || b[d1 + 2] != 'y') return false;
        byte[] head = new byte[Math.min(384, (d1 - s) * 3 / 4 + 3)];
        int n = Base64Bytes.decode(b, s, Math.min(d1, s + 512), head);
        if (n < 8 || head[0] != '{') return false;
        if (!contains(head, 0, n, "\"alg\"")) return false;
        byte[] body = new byte[3];
        return Base64Bytes.decode(b, d1 + 1, d1 + 5, body) >= 2 && body[0] == '{';
    }

    static final List<String> DOC_EXAMPLES = List.of(
            // AWS documentation's example credentials (IAM user guide).
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            // Stripe documentation's public test key.
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
            // jwt.io's default example token.
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
}

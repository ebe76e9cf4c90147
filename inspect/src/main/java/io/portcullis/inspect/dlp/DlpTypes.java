package io.portcullis.inspect.dlp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The built-in finding types. Names are stable: policies, alerts and audit records refer to them.
 *
 * <h2>PCI</h2>
 * <ul>
 *   <li>{@code CREDIT_CARD_NUMBER} — 13-19 digits (spaces/dashes allowed), Luhn, issuer range and length</li>
 *   <li>{@code CARD_SECURITY_CODE} — 3-4 digits, only under a CVV/CVC-like key or right after a card number</li>
 * </ul>
 * <h2>PII</h2>
 * <ul>
 *   <li>{@code EMAIL_ADDRESS} — RFC 5321-shaped address with a letter TLD (file names like {@code logo@2x.png} excluded)</li>
 *   <li>{@code PHONE_NUMBER} — validated by libphonenumber; needs '+', formatting or a phone context word</li>
 *   <li>{@code US_SSN} — SSA rules (no 000/666/9xx area, 00 group, 0000 serial, known samples); plain 9 digits only in context</li>
 *   <li>{@code IBAN} — country length and ISO 7064 mod 97</li>
 *   <li>{@code IP_ADDRESS} — IPv4 and IPv6 (loopback and unspecified excluded)</li>
 *   <li>{@code DATE_OF_BIRTH} — a valid date next to a birth context word</li>
 *   <li>{@code UK_NINO} — UK National Insurance number, HMRC prefix rules</li>
 *   <li>{@code IN_AADHAAR} — 12 digits, Verhoeff check; grouped 4-4-4 or in context</li>
 *   <li>{@code ES_DNI}, {@code ES_NIE} — Spanish identity numbers with their mod-23 check letter</li>
 * </ul>
 * <h2>SECRET</h2>
 * <ul>
 *   <li>{@code PRIVATE_KEY} — PEM and OpenSSH private keys with a body</li>
 *   <li>{@code JWT} — compact JWS whose header decodes to JSON with {@code alg}</li>
 *   <li>{@code AWS_SECRET_ACCESS_KEY} — 40 Base64 characters under an AWS secret key name or after an access key id</li>
 *   <li>{@code MAILCHIMP_API_KEY} — 32 hex + {@code -usN} data-center suffix</li>
 *   <li>{@code GENERIC_SECRET} — a random-looking token (16+ chars) under a secret-like key name or auth scheme</li>
 *   <li>{@code PASSWORD} — a value (6-128 bytes, not a placeholder) under a password-like key name</li>
 *   <li>{@code AWS_ACCESS_KEY_ID} — AWS</li>
 *   <li>{@code STRIPE_SECRET_KEY} — Stripe</li>
 *   <li>{@code STRIPE_WEBHOOK_SECRET} — Stripe</li>
 *   <li>{@code GITHUB_TOKEN} — GitHub</li>
 *   <li>{@code GITLAB_TOKEN} — GitLab</li>
 *   <li>{@code SLACK_TOKEN} — Slack</li>
 *   <li>{@code SLACK_WEBHOOK_URL} — Slack</li>
 *   <li>{@code GOOGLE_API_KEY} — Google</li>
 *   <li>{@code GOOGLE_OAUTH_CLIENT_SECRET} — Google</li>
 *   <li>{@code TWILIO_API_KEY} — Twilio</li>
 *   <li>{@code SENDGRID_API_KEY} — SendGrid</li>
 *   <li>{@code OPENAI_API_KEY} — OpenAI</li>
 *   <li>{@code ANTHROPIC_API_KEY} — Anthropic</li>
 *   <li>{@code AZURE_STORAGE_ACCOUNT_KEY} — Azure</li>
 *   <li>{@code AZURE_SAS_TOKEN} — Azure</li>
 *   <li>{@code NPM_TOKEN} — npm</li>
 *   <li>{@code PYPI_TOKEN} — PyPI</li>
 *   <li>{@code SHOPIFY_TOKEN} — Shopify</li>
 *   <li>{@code DIGITALOCEAN_TOKEN} — DigitalOcean</li>
 *   <li>{@code HUGGINGFACE_TOKEN} — Hugging Face</li>
 *   <li>{@code DATABRICKS_TOKEN} — Databricks</li>
 *   <li>{@code POSTMAN_API_KEY} — Postman</li>
 *   <li>{@code LINEAR_API_KEY} — Linear</li>
 *   <li>{@code SQUARE_ACCESS_TOKEN} — Square</li>
 *   <li>{@code SQUARE_OAUTH_SECRET} — Square</li>
 *   <li>{@code ATLASSIAN_API_TOKEN} — Atlassian</li>
 *   <li>{@code GRAFANA_TOKEN} — Grafana</li>
 *   <li>{@code NEW_RELIC_API_KEY} — New Relic</li>
 *   <li>{@code PLANETSCALE_TOKEN} — PlanetScale</li>
 *   <li>{@code HASHICORP_VAULT_TOKEN} — HashiCorp</li>
 *   <li>{@code SENTRY_TOKEN} — Sentry</li>
 *   <li>{@code MAILGUN_API_KEY} — Mailgun</li>
 *   <li>{@code ALIBABA_ACCESS_KEY_ID} — Alibaba Cloud</li>
 *   <li>{@code DISCORD_WEBHOOK_URL} — Discord</li>
 *   <li>{@code DOPPLER_TOKEN} — Doppler</li>
 *   <li>{@code FLYIO_TOKEN} — Fly.io</li>
 *   <li>{@code FIGMA_TOKEN} — Figma</li>
 *   <li>{@code PULUMI_TOKEN} — Pulumi</li>
 *   <li>{@code NOTION_TOKEN} — Notion</li>
 *   <li>{@code DROPBOX_TOKEN} — Dropbox</li>
 *   <li>{@code JWT} — IETF RFC 7519</li>
 * </ul>
 * Documentation example keys (AWS's {@code AKIAIOSFODNN7EXAMPLE}, jwt.io's sample, placeholders such as
 * {@code ghp_xxxx...}) are not reported; well-known test card numbers are reported with likelihood UNLIKELY.
 */
public final class DlpTypes {
    private DlpTypes() {}

    /** Every built-in type and its class. */
    public static final Map<String, DataClass> ALL = all();

    private static Map<String, DataClass> all() {
        var m = new LinkedHashMap<String, DataClass>();
        m.put("CREDIT_CARD_NUMBER", DataClass.PCI);
        m.put("CARD_SECURITY_CODE", DataClass.PCI);
        for (String t : new String[] {"EMAIL_ADDRESS", "PHONE_NUMBER", "US_SSN", "IBAN", "IP_ADDRESS", "DATE_OF_BIRTH",
            "UK_NINO", "IN_AADHAAR", "ES_DNI", "ES_NIE"}) m.put(t, DataClass.PII);
        for (String t : new String[] {"PRIVATE_KEY", "AWS_SECRET_ACCESS_KEY", "MAILCHIMP_API_KEY", "GENERIC_SECRET", "PASSWORD"}) m.put(t, DataClass.SECRET);
        for (VendorKeyRule r : VendorKeyCatalogue.ALL) m.put(r.type(), DataClass.SECRET);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Distinct vendors covered by prefixed key rules (plus AWS secrets and Mailchimp found by shape). */
    public static long vendorCount() {
        return VendorKeyCatalogue.ALL.stream().map(VendorKeyRule::vendor).distinct().count();
    }
}

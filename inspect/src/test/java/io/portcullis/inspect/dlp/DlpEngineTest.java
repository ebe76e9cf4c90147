package io.portcullis.inspect.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DlpEngineTest {
    private static final DlpEngine ENGINE = DlpEngine.builtIn();

    private static List<Finding> scan(String s) {
        return ENGINE.scan(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> types(String s) {
        return scan(s).stream().map(Finding::type).toList();
    }

    @Test
    void cardNumbersNeedLuhnAndAnIssuerRange() {
        assertThat(types("pay with 4539 1488 0343 6467 today")).containsExactly("CREDIT_CARD_NUMBER");
        assertThat(types("pay with 4539-1488-0343-6467 today")).containsExactly("CREDIT_CARD_NUMBER");
        assertThat(types("amex 371449635398431")).containsExactly("CREDIT_CARD_NUMBER");
        assertThat(types("luhn fails 4539 1488 0343 6468")).isEmpty();
        assertThat(types("no issuer 9999 9999 9999 9995")).isEmpty();
        assertThat(types("order 1234567812345670")).isEmpty(); // Luhn-valid but no issuer starts with 1
    }

    @Test
    void knownTestCardIsReportedWithLowerLikelihood() {
        var f = scan("{\"card\":{\"number\":\"4111111111111111\"}}");
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("CREDIT_CARD_NUMBER");
            assertThat(x.likelihood()).isEqualTo(Likelihood.UNLIKELY);
            assertThat(x.masked()).isEqualTo("4111********1111");
            assertThat(x.path()).isEqualTo("$.card.number");
        });
    }

    @Test
    void contextWordsRaiseLikelihood() {
        assertThat(scan("x 4539148803436467").get(0).likelihood()).isEqualTo(Likelihood.POSSIBLE);
        assertThat(scan("credit card 4539148803436467").get(0).likelihood()).isEqualTo(Likelihood.VERY_LIKELY);
    }

    @Test
    void findingsNeverContainTheValue() {
        String card = "4539148803436467";
        var f = scan("{\"pan\":\"" + card + "\",\"key\":\"ghp_R4nd0mTok3nValu3xYzAbCdEfGhIjKlMn0p\"}");
        assertThat(f).hasSize(2);
        for (Finding x : f) {
            assertThat(x.toString()).doesNotContain(card).doesNotContain("R4nd0mTok3n");
            assertThat(x.masked()).doesNotContain("R4nd0m");
        }
    }

    @Test
    void securityCodeOnlyBesideCardContext() {
        assertThat(types("{\"cvv\":\"123\"}")).containsExactly("CARD_SECURITY_CODE");
        assertThat(types("{\"card_number\":\"4539148803436467\",\"code\":\"123\"}"))
                .containsExactly("CREDIT_CARD_NUMBER", "CARD_SECURITY_CODE");
        assertThat(types("{\"quantity\":\"123\",\"code\":\"123\"}")).isEmpty();
    }

    @Test
    void personalDataWithValidators() {
        assertThat(types("mail jane.doe+news@acme-corp.io now")).containsExactly("EMAIL_ADDRESS");
        assertThat(types("retina logo@2x.png")).isEmpty();
        assertThat(types("call +44 20 7946 0958")).containsExactly("PHONE_NUMBER");
        assertThat(types("call (415) 555-2671")).containsExactly("PHONE_NUMBER");
        assertThat(types("{\"order_id\":\"4155552671\"}")).isEmpty();
        assertThat(types("ssn 536-22-8190")).containsExactly("US_SSN");
        assertThat(types("ssn 666-22-8190 and 078-05-1120")).isEmpty();
        assertThat(types("iban DE89 3704 0044 0532 0130 00")).containsExactly("IBAN");
        assertThat(types("iban GB29NWBK60161331926819")).containsExactly("IBAN");
        assertThat(types("iban GB29NWBK60161331926818")).isEmpty();
        assertThat(types("from 203.0.113.77 and 2001:db8:85a3::8a2e:370:7334")).containsExactly("IP_ADDRESS", "IP_ADDRESS");
        assertThat(types("local 127.0.0.1 at 10:20:30 version 1.2.3")).isEmpty();
        assertThat(types("{\"date_of_birth\":\"1984-07-23\"}")).containsExactly("DATE_OF_BIRTH");
        assertThat(types("{\"created\":\"1984-07-23\",\"ts\":\"2024-01-15T10:00:00Z\"}")).isEmpty();
    }

    @Test
    void nationalIdsWithCheckDigits() {
        assertThat(types("NI number JG 10 37 24 D")).containsExactly("UK_NINO");
        assertThat(types("NI number QQ 10 37 24 D")).isEmpty();
        assertThat(types("aadhaar 4918 2736 4553")).containsExactly("IN_AADHAAR");
        assertThat(types("aadhaar 4918 2736 4554")).isEmpty();
        assertThat(types("dni 48291037F")).containsExactly("ES_DNI");
        assertThat(types("dni 48291037G")).isEmpty();
        assertThat(types("nie X1234567L")).containsExactly("ES_NIE");
    }

    @Test
    void vendorKeysByDocumentedShape() {
        Map<String, String> samples = Map.ofEntries(
                Map.entry("AKIA2E0A8F3B244C9986", "AWS_ACCESS_KEY_ID"),
                Map.entry("sk_live_51HqLyjWDarjtT1zdp7dcXy9aBcD", "STRIPE_SECRET_KEY"),
                Map.entry("ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A", "GITHUB_TOKEN"),
                Map.entry("glpat-Zx8Yq2Wv4Ut6Sr9Pq1No", "GITLAB_TOKEN"),
                Map.entry("xoxb-2918475610-4829105736281-AbCdEfGhIjKlMnOpQrStUvWx", "SLACK_TOKEN"),
                Map.entry("AIzaSyD3k9Qm2Lp7Xv8Rt5Wn1Bc4Jh6Gf0Ez2Ya", "GOOGLE_API_KEY"),
                Map.entry("SK2b7e4c1d9f8a3b6c5d4e3f2a1b0c9d8e", "TWILIO_API_KEY"),
                Map.entry("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", "SENDGRID_API_KEY"),
                Map.entry("npm_Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Df3Gh5", "NPM_TOKEN"),
                Map.entry("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", "SHOPIFY_TOKEN"),
                Map.entry("0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d-us14", "MAILCHIMP_API_KEY"),
                Map.entry("hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh", "HUGGINGFACE_TOKEN"));
        for (var e : samples.entrySet()) {
            assertThat(types("token " + e.getKey() + " end")).as(e.getValue()).containsExactly(e.getValue());
        }
    }

    @Test
    void documentationExamplesAndPlaceholdersAreNotSecrets() {
        assertThat(types("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")).isEmpty();
        assertThat(types("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).isEmpty();
        assertThat(types("token ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")).isEmpty();
    }

    @Test
    void awsSecretAndGenericSecretsNeedKeyContext() {
        assertThat(types("aws_secret_access_key = 9dK2+Qm7vLx0Rt4/Wn8Bc1Jh5Gf3Ez6Ya2Ui8OpS")).containsExactly("AWS_SECRET_ACCESS_KEY");
        assertThat(types("{\"client_secret\":\"q8Rt2Wn4Bc6Jh8Gf0Ez2Ya4Ui6\"}")).containsExactly("GENERIC_SECRET");
        assertThat(types("Authorization: Bearer q8Rt2Wn4Bc6Jh8Gf0Ez2Ya4Ui6")).containsExactly("GENERIC_SECRET");
        assertThat(types("{\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}")).isEmpty();
        assertThat(types("{\"next_page_token\":\"q8Rt2Wn4Bc6Jh8Gf0Ez2Ya4Ui6\"}")).isEmpty();
        assertThat(types("{\"password\":\"hunter2!x\"}")).containsExactly("PASSWORD");
    }

    @Test
    void privateKeysAndJwts() {
        String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx5pQ9vN3mK8jL2hG7fD4sA1zX6cV9bN0mQ3wE5rT8yU2iO7pA4sD\n"
                + "x5pQ9vN3mK8jL2hG7fD4sA1zX6cV9bN0mQ3wE5rT8yU2iO7pA4sD\n-----END RSA PRIVATE KEY-----\n";
        var f = scan("key: " + pem);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("PRIVATE_KEY");
            assertThat(x.masked()).isEqualTo("-----BEGIN RSA PRIVATE KEY-----****");
        });
        String jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEyMyJ9.eyJzdWIiOiJ1c2VyLTQyIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU";
        assertThat(types("Authorization: Bearer " + jwt)).containsExactly("JWT");
        assertThat(types("not a jwt eyJub3QiOiJqc29uIn0.eyJhIjoxfQ.c2ln")).isEmpty(); // header has no "alg"
    }

    @Test
    void base64EncodedTextIsDecodedOnce() {
        String inner = "{\"card\":\"4539148803436467\"}";
        String b64 = java.util.Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8));
        var f = scan("{\"blob\":\"" + b64 + "\"}");
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("CREDIT_CARD_NUMBER");
            assertThat(x.path()).isEqualTo("$.blob");
        });
    }

    @Test
    void binaryBase64IsSkipped() {
        byte[] png = new byte[3000];
        new java.util.Random(7).nextBytes(png);
        String b64 = java.util.Base64.getEncoder().encodeToString(png);
        assertThat(types("{\"image\":\"data:image/png;base64," + b64 + "\"}")).isEmpty();
    }

    @Test
    void jsonPathsThroughArraysAndNesting() {
        var f = scan("{\"customers\":[{\"email\":\"a.b@corp.com\"},{\"name\":\"x\",\"contact\":{\"email\":\"c.d@corp.com\"}}]}");
        assertThat(f).extracting(Finding::path).containsExactly("$.customers[0].email", "$.customers[1].contact.email");
    }

    @Test
    void formBodiesAreUrlDecodedAndNamed() {
        var r = ENGINE.scanBody("amount=100&card%5Bnumber%5D=4539+1488+0343+6467&email=jo%40corp.com".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded", null);
        assertThat(r.findings()).extracting(Finding::type, Finding::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("CREDIT_CARD_NUMBER", "card[number]"),
                        org.assertj.core.groups.Tuple.tuple("EMAIL_ADDRESS", "email"));
    }

    @Test
    void queryAndHeaders() {
        assertThat(ENGINE.scanQuery("q=x&email=jane%40corp.com")).extracting(Finding::path).containsExactly("query.email");
        var h = ENGINE.scanHeaders(List.of(Map.entry("X-Api-Key", "sk_live_51HqLyjWDarjtT1zdp7dcXy9aBcD"), Map.entry("Host", "a.b")));
        assertThat(h).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("header.X-Api-Key");
            assertThat(x.start()).isZero();
        });
    }

    @Test
    void multipartTextPartsAreScannedBinaryPartsAreNot() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\ncall me at +1 415 555 2671\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"ssn\":\"536-22-8190\"}\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n4539148803436467\r\n"
                + "--XyZ--\r\n";
        var r = ENGINE.scanBody(body.getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=XyZ", null);
        assertThat(r.findings()).extracting(Finding::type, Finding::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("PHONE_NUMBER", "part.note"),
                org.assertj.core.groups.Tuple.tuple("US_SSN", "part.meta$.ssn"));
    }

    @Test
    void gzipBodiesAreDecodedWithinCaps() throws Exception {
        var bos = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(bos)) {
            gz.write("{\"email\":\"jane@corp.com\"}".getBytes(StandardCharsets.UTF_8));
        }
        var r = ENGINE.scanBody(bos.toByteArray(), "application/json", "gzip");
        assertThat(r.complete()).isTrue();
        assertThat(r.findings()).extracting(Finding::type).containsExactly("EMAIL_ADDRESS");
    }

    @Test
    void decompressionBombStopsAtTheRatioCap() throws Exception {
        var bos = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(bos)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 20; i++) gz.write(zeros);
        }
        var engine = DlpEngine.builder().decodingLimits(4L << 20, 100).build();
        var r = engine.scanBody(bos.toByteArray(), "text/plain", "gzip");
        assertThat(r.complete()).isFalse();
        assertThat(r.incomplete()).contains("ratio");
    }

    @Test
    void decodedSizeCapIsExactAtTheEdge() throws Exception {
        byte[] text = new byte[1000];
        java.util.Arrays.fill(text, (byte) 'a');
        var bos = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(bos)) {
            gz.write(text);
        }
        assertThat(DlpEngine.builder().decodingLimits(1000, 1000).build().scanBody(bos.toByteArray(), "text/plain", "gzip").complete()).isTrue();
        assertThat(DlpEngine.builder().decodingLimits(999, 1000).build().scanBody(bos.toByteArray(), "text/plain", "gzip").incomplete())
                .contains("999");
    }

    @Test
    void secretsOnlyIgnoresPersonalData() {
        var e = DlpEngine.secretsOnly();
        var f = e.scanText("jane@corp.com 4539148803436467 ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A".getBytes(StandardCharsets.UTF_8));
        assertThat(f).extracting(Finding::type).containsExactly("GITHUB_TOKEN");
    }

    @Test
    void catalogueCoversAtLeast25Vendors() {
        assertThat(DlpTypes.vendorCount()).isGreaterThanOrEqualTo(25);
        assertThat(DlpTypes.ALL.keySet()).allMatch(t -> t.matches("[A-Z][A-Z0-9_]*"));
    }

    @Test
    void customDetectorsRunOnRe2WithKeywordsAndValidator() {
        var d = new CustomDetector("EMPLOYEE_ID", DataClass.CUSTOM, com.google.re2j.Pattern.compile("EMP-[0-9]{6}"),
                List.of("employee"), CustomDetector.Validator.NONE);
        var e = DlpEngine.builder().custom(List.of(d)).build();
        assertThat(e.scanText("employee EMP-123456".getBytes(StandardCharsets.UTF_8))).extracting(Finding::type).containsExactly("EMPLOYEE_ID");
        assertThat(e.scanText("ticket EMP-123456".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    // ---------------------------------------------------------------- JSON string escapes

    private static String jsonEscapeAll(String v) {
        var sb = new StringBuilder();
        for (char c : v.toCharArray()) sb.append(String.format("\\u%04x", (int) c));
        return sb.toString();
    }

    @Test
    void emailWrittenWithUnicodeEscapesInJsonIsFoundOverItsRawBytes() {
        String body = "{\"customer\":{\"email\":\"jo.smith\\u0040corp.com\"}}";
        var f = ENGINE.scanBody(body.getBytes(StandardCharsets.UTF_8), "application/json", null).findings();
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("EMAIL_ADDRESS");
            assertThat(x.path()).isEqualTo("$.customer.email");
            assertThat(body.substring((int) x.start(), (int) x.end())).isEqualTo("jo.smith\\u0040corp.com");
            assertThat(x.masked()).isEqualTo("j***@corp.com");
        });
    }

    @Test
    void cardNumberWrittenEntirelyWithEscapesKeepsItsKeyContext() {
        String escaped = jsonEscapeAll("4539 1488 0343 6467");
        String body = "{\"card_number\":\"" + escaped + "\",\"note\":\"x\"}";
        var f = ENGINE.scanBody(body.getBytes(StandardCharsets.UTF_8), "application/json", null).findings();
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.type()).isEqualTo("CREDIT_CARD_NUMBER");
            assertThat(x.likelihood()).isEqualTo(Likelihood.VERY_LIKELY); // "card_number" still counts as context
            assertThat(x.path()).isEqualTo("$.card_number");
            assertThat(body.substring((int) x.start(), (int) x.end())).isEqualTo(escaped);
            assertThat(x.masked()).isEqualTo("4539 **** **** 6467").doesNotContain("1488");
        });
    }

    @Test
    void escapedSlashesDoNotHideAWebhookUrl() {
        String body = "{\"hook\":\"https:\\/\\/hooks.slack.com\\/services\\/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\"}";
        assertThat(ENGINE.scanBody(body.getBytes(StandardCharsets.UTF_8), "application/json", null).findings())
                .extracting(Finding::type).containsExactly("SLACK_WEBHOOK_URL");
    }

    @Test
    void valuesVisibleInTheRawBytesAreNotReportedTwice() {
        // Escapes in the same string as raw values, and whitespace escapes that hide nothing.
        String body = "{\"note\":\"caf\\u00e9 \\\"quoted\\\" card 4539 1488 0343 6467\\nmail jo@corp.com\",\"e\":\"a\\u0040corp.com\"}";
        var f = ENGINE.scanBody(body.getBytes(StandardCharsets.UTF_8), "application/json", null).findings();
        assertThat(f).extracting(Finding::type).containsExactly("CREDIT_CARD_NUMBER", "EMAIL_ADDRESS", "EMAIL_ADDRESS");
        assertThat(f).extracting(Finding::path).containsExactly("$.note", "$.note", "$.e");
    }

    @Test
    void escapesOutsideJsonBodiesAreLeftAlone() {
        // Plain text is not JSON: a literal backslash-u sequence there is text, not an escape.
        assertThat(types("mail jo\\u0040corp.com")).isEmpty();
    }

    @Test
    void longEscapedStringsAreDecodedInChunksWithoutLosingOrRepeatingValues() {
        // ~200 KB of escaped text (many decoding chunks) with an escaped email every ~1000 decoded bytes.
        var sb = new StringBuilder("{\"log\":\"");
        int planted = 0;
        for (int k = 0; k < 200; k++) {
            sb.append("line ").append(k).append(" \\u00e9v\\u00e9nement ok; ".repeat(40));
            sb.append("user").append(k).append("\\u0040corp.com ");
            planted++;
        }
        sb.append("\"}");
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(body.length).isGreaterThan(10 * JsonEscapes.CHUNK);
        var f = ENGINE.scanBody(body, "application/json", null).findings();
        assertThat(f).hasSize(planted).allSatisfy(x -> {
            assertThat(x.type()).isEqualTo("EMAIL_ADDRESS");
            assertThat(new String(body, (int) x.start(), (int) (x.end() - x.start()), StandardCharsets.UTF_8)).matches("user\\d+\\\\u0040corp\\.com");
        });
    }

    @Test
    void malformedEscapesAndSurrogatesNeverBreakTheScan() {
        for (String v : new String[] {"\\u12", "\\u00zz@corp.com", "\\ud83d\\ude00 jo\\u0040corp.com", "\\ud83d jo\\u0040corp.com",
                "\\", "\\\\u0040", "x\\"}) {
            String body = "{\"a\":\"" + v + "\"}";
            var f = ENGINE.scanBody(body.getBytes(StandardCharsets.UTF_8), "application/json", null).findings();
            for (Finding x : f) assertThat(x.end()).isLessThanOrEqualTo(body.length());
        }
        // An escaped backslash before "u0040" is not an escape of '@'.
        assertThat(ENGINE.scanBody("{\"a\":\"jo\\\\u0040corp.com\"}".getBytes(StandardCharsets.UTF_8), "application/json", null)
                .findings()).isEmpty();
        assertThat(ENGINE.scanBody("{\"a\":\"\\ud83d\\ude00 jo\\u0040corp.com\"}".getBytes(StandardCharsets.UTF_8), "application/json", null)
                .findings()).extracting(Finding::type).containsExactly("EMAIL_ADDRESS");
    }

    /** Writes characters of string values (not keys) as JSON escapes, each with probability {@code p}. */
    private static String escapeValues(String json, double p, java.util.Random rnd) {
        var sb = new StringBuilder();
        boolean inString = false, isKey = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (!inString) {
                if (c == '"') {
                    inString = true;
                    // A key is a string followed by ':'.
                    int close = json.indexOf('"', i + 1);
                    isKey = close > 0 && close + 1 < json.length() && json.charAt(close + 1) == ':';
                }
                sb.append(c);
            } else if (c == '"') {
                inString = false;
                sb.append(c);
            } else if (!isKey && rnd.nextDouble() < p) {
                sb.append(c == '/' && rnd.nextBoolean() ? "\\/" : String.format(rnd.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Test
    void escapingValuesInJsonChangesNothingButTheSpans() {
        String[] payloads = {
            "{\"customer\":{\"name\":\"Jo Smith\",\"email\":\"jo.smith@corp-mail.com\",\"phone\":\"+44 20 7946 0958\","
                + "\"ssn\":\"536-22-8190\",\"iban\":\"GB29 NWBK 6016 1331 9268 19\"},"
                + "\"card\":{\"number\":\"4539 1488 0343 6467\",\"cvc\":\"737\"},\"note\":\"born 1984-03-12, ip 203.0.113.9\"}",
            "{\"ticket\":{\"body\":\"Hi, my card 5425233430109903 was charged twice; call me on (415) 555-2671 or mail "
                + "ana.perez@example-shop.es. DNI 48291037F.\",\"token\":\"ghp_R4nd0mTok3nValu3xYzAbCdEfGhIjKlMn0p\"}}",
            "{\"env\":{\"STRIPE_KEY\":\"sk_live_51HqLyjWDarjtT1zdp7dcXy9aBcD\",\"DB_PASSWORD\":\"s3cr3t-Pa55word!\","
                + "\"hook\":\"https://hooks.slack.com/services/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\"}}",
        };
        var rnd = new java.util.Random(5);
        for (String plain : payloads) {
            var expected = ENGINE.scanBody(plain.getBytes(StandardCharsets.UTF_8), "application/json", null).findings();
            assertThat(expected).hasSizeGreaterThanOrEqualTo(3);
            for (double p : new double[] {1.0, 0.5, 0.2}) {
                for (int round = 0; round < 5; round++) {
                    String escaped = escapeValues(plain, p, rnd);
                    var got = ENGINE.scanBody(escaped.getBytes(StandardCharsets.UTF_8), "application/json", null).findings();
                    assertThat(got).as(escaped).extracting(Finding::type, Finding::path, Finding::likelihood, Finding::masked)
                            .containsExactlyElementsOf(expected.stream()
                                    .map(f -> org.assertj.core.groups.Tuple.tuple(f.type(), f.path(), f.likelihood(), f.masked())).toList());
                }
            }
        }
    }

    @Test
    void redactingAnEscapedValueKeepsTheJsonValidAndHidesTheValue() throws Exception {
        String body = "{\"card_number\":\"" + jsonEscapeAll("4539 1488 0343 6467") + "\",\"email\":\"jo.smith\\u0040corp.com\"}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        var f = ENGINE.scanBody(b, "application/json", null).findings();
        assertThat(f).extracting(Finding::type).containsExactly("CREDIT_CARD_NUMBER", "EMAIL_ADDRESS");
        Redaction.apply(b, f);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(b);
        assertThat(tree.get("card_number").asText()).doesNotContain("4539").doesNotContain("1488").doesNotContain("0343");
        assertThat(tree.get("email").asText()).doesNotContain("jo.smith").doesNotContain("corp");
        assertThat(ENGINE.scanBody(b, "application/json", null).findings()).isEmpty();
    }
}

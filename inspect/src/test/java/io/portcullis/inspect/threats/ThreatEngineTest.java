package io.portcullis.inspect.threats;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ThreatEngineTest {
    private final ThreatEngine engine = new ThreatEngine();

    private ThreatReport value(String v) {
        return engine.scanValue(v, ValueContext.JSON_VALUE);
    }

    // Hand-picked examples per category (the corpus benchmark measures rates; these pin behaviour).
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "SQLI|' OR 1=1 --",
            "SQLI|5 UNION SELECT card, cvv FROM cards",
            "SQLI|x'; DELETE FROM invoices; --",
            "SQLI|admin' or 1-- ",
            "SQLI|x' OR TRUE#",
            "XSS|<img src=1 onerror=fetch('//e.example')>",
            "XSS|&#x6a;avascript:alert(1)",
            "CMDI|report.csv; cat /etc/hosts",
            "CMDI|$(uname -a)",
            "PATH_TRAVERSAL|..%2F..%2F..%2Fapp%2Fconfig.yml",
            "SSTI|{{ 9*9 }}",
            "SSTI|${jndi:dns://x.example/a}",
            "SSRF|http://0x7f.1/",
            "SSRF|https://[::ffff:10.0.0.1]/x",
            "LDAPI|*)(objectClass=*",
            "NOSQLI|{\"$gt\": 0}",
            "XXE|<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><d>&e;</d>"})
    void reportsEachCategory(String category, String payload) {
        ThreatReport r = value(payload);
        assertThat(r.categories()).contains(ThreatCategory.valueOf(category));
        assertThat(r.isAttack()).isTrue();
        assertThat(r.maxScore()).isBetween(ThreatEngine.DEFAULT_THRESHOLD, 100);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "O'Reilly Media", "Select the best option from the list and update where needed.",
            "Tom & Jerry; cat lovers unite", "I ran `SELECT * FROM orders WHERE id = 42` and it timed out",
            "Hello {{ customer.first_name }}, your order shipped", "See ../docs/readme.md", "https://api.stripe.com/v1/charges?limit=3",
            "Пожалуйста, выберите лучший вариант из списка", "请选择列表中最好的选项", "شكراً جزيلاً على المساعدة",
            "1 or 2 items were missing", "<b>bold</b> and <div class=\"note\">x</div>", "12\" Cast Iron Skillet (4' x 8')",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)", "(see attached)(2 files)",
            "Price: $10 (was $15)", "Rated 'excellent' or 5 -- see reviews", "It's 1 -- or 2", "a < b && b > c", "export PATH=$HOME/bin:$PATH", "Rock 'n' roll -- forever"})
    void leavesBenignTextAlone(String text) {
        assertThat(value(text).findings()).isEmpty();
    }

    /**
     * A separator first in the value, or after the one input token the command was appended to, makes a known command
     * with short operands a command line; the same words after prose do not.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '#', quoteCharacter = '~', value = {
            "; uptime -p#true", "8.8.4.4 && hostname#true", "notes.md; tail notes.md#true", "x'; cat settings.ini#true",
            "; kill -15 1#true", "77 | more readme#true",
            "Mon-Fri 9-17; last entry at 16:30#false", "Attached: report.pdf; more details follow#false",
            "He said \"stop\"; cat lovers unite#false", "Ben; cat lovers#false", "; see more below#false",
            "| type | description |#false", "8:00-14:00; closed Sundays#false", "; more to come.#false",
            "Temperature: -5; sleep well#false"})
    void commandLinesInInjectionPositionButNotProse(String text, boolean attack) {
        assertThat(value(text).categories().contains(ThreatCategory.CMDI)).as(text).isEqualTo(attack);
    }

    @Test
    void findingNeverCarriesTheFullPayload() {
        String payload = "' UNION SELECT secret_column_with_a_long_name, another_secret FROM vault_table_with_long_name --";
        ThreatFinding f = value(payload).findings().getFirst();
        assertThat(f.excerpt().length()).isLessThanOrEqualTo(ThreatFinding.MAX_EXCERPT);
        assertThat(f.reason()).doesNotContain("vault_table");
        assertThat(f.start()).isEqualTo(0);
        assertThat(f.end()).isEqualTo(payload.length());
    }

    @Test
    void jsonFindingsCarryThePathOfValueAndKey() {
        String body = """
                {"data":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"<script>alert(1)</script>"}],
                 "filter":{"email":{"$ne":null}}}""";
        ThreatReport r = engine.scanJson(body);
        assertThat(r.malformed()).isNull();
        assertThat(r.findings()).extracting(ThreatFinding::path, ThreatFinding::category)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("$.data[3].name", ThreatCategory.XSS),
                        org.assertj.core.groups.Tuple.tuple("$.filter.email['$ne']", ThreatCategory.NOSQLI));
    }

    @Test
    void cleanJsonIsClean() {
        ThreatReport r = engine.scanJson("{\"id\":\"ch_1\",\"amount\":4999,\"ok\":true,\"n\":null,\"tags\":[\"O'Brien\",\"Zürich\"]}");
        assertThat(r).isEqualTo(ThreatReport.CLEAN);
        assertThat(r.isAttack()).isFalse();
    }

    @Test
    void formFieldsAreDecodedAndNamed() {
        ThreatReport r = engine.scanForm("Body=hello+world&user%5B%24ne%5D=x&q=%27+OR+%271%27%3D%271");
        assertThat(r.findings()).extracting(ThreatFinding::path).containsExactly("user[$ne]", "q");
        assertThat(r.categories()).containsExactlyInAnyOrder(ThreatCategory.NOSQLI, ThreatCategory.SQLI);
    }

    @Test
    void xmlBodiesAreCheckedForEntitiesAndContent() {
        assertThat(engine.scanXml("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"http://e.example/\">]><r>&x;</r>").categories())
                .containsExactly(ThreatCategory.XXE);
        assertThat(engine.scanXml("<order><note>&lt;script&gt;alert(1)&lt;/script&gt;</note></order>").categories())
                .containsExactly(ThreatCategory.XSS);
        assertThat(engine.scanXml("<?xml version=\"1.0\"?><order id=\"7\"><note>Fish &amp; Chips</note></order>").isAttack()).isFalse();
    }

    @Test
    void ssrfNormalisesEveryIpv4Spelling() {
        for (String host : new String[] {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.01", "127.1", "0x7f.0.0.1", "127.000.000.001"}) {
            assertThat(SsrfTargetClassifier.parseIpv4(host)).as(host).isEqualTo(0x7f000001L);
        }
        assertThat(SsrfTargetClassifier.hostScore("169.254.169.254")).isGreaterThanOrEqualTo(95);
        assertThat(SsrfTargetClassifier.hostScore("8.8.8.8")).isZero();
        assertThat(SsrfTargetClassifier.hostScore("::ffff:a9fe:a9fe")).isGreaterThanOrEqualTo(95);
        assertThat(SsrfTargetClassifier.hostScore("2001:db8::1")).isZero();
        assertThat(SsrfTargetClassifier.parseIpv4("256.1.1.1")).isEqualTo(-1);
    }

    @Test
    void thresholdIsEnforcedAtItsEdge() {
        // two plain dot-dot segments score 40: reported at threshold 40, not at 41
        assertThat(new ThreatEngine(40).scanValue("../../img/logo.png", ValueContext.JSON_VALUE).categories())
                .containsExactly(ThreatCategory.PATH_TRAVERSAL);
        assertThat(new ThreatEngine(41).scanValue("../../img/logo.png", ValueContext.JSON_VALUE).isAttack()).isFalse();
    }

    @Test
    void invalidUtf8InAJsonBodyIsMalformedNotAnException() {
        byte[] body = "{\"a\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        body[6] = (byte) 0xC3; // lone lead byte followed by '"'
        ThreatReport r = engine.scanJson(body);
        assertThat(r.malformed()).contains("UTF-8");
        assertThat(r.isAttack()).isTrue();
    }
}

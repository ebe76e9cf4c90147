package io.portcullis.discovery.traffic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class SegmentTyperTest {

    // ID shapes below are the examples printed in the vendors' public API references (Stripe, Twilio, Slack, GitHub).
    @ParameterizedTest(name = "{0} is a value ({1})")
    @CsvSource({
            "12345, INTEGER",
            "9781238911, INTEGER",
            "123e4567-e89b-12d3-a456-426614174000, UUID",
            "507f1f77bcf86cd799439011, HEX",
            "8b726e606741012ffc2d782bcb7848fe, HEX",
            "cus_NffrFeUfNV2Hib, PREFIXED_ID",
            "pi_3MtwBwLkdIwHu7ix28a3tqPa, PREFIXED_ID",
            "acct_1032D82eZvKYlo2C, PREFIXED_ID",
            "prod_NWjsqKbJWmuucE, PREFIXED_ID",
            "AC3f1b2c3d4e5f60718293a4b5c6d7e8f9, HEX", // AC is itself hex
            "SM1b2c3d4e5f60718293a4b5c6d7e8f9a0, OPAQUE_ID",
            "C024BE91L, OPAQUE_ID",
            "dQw4w9WgXcQ, OPAQUE_ID",
            "INV-0042, PREFIXED_ID",
            "2024-03-15, DATE",
            "jane.doe@example.com, EMAIL",
            "+14155552671, OPAQUE_ID",
    })
    void identifiersAreValues(String segment, SegmentKind expected) {
        SegmentKind kind = SegmentTyper.classify(segment, 2, "things", false);
        assertThat(kind).isEqualTo(expected);
        assertThat(kind.literal()).isFalse();
    }

    @ParameterizedTest(name = "{0} stays a constant")
    @CsvSource({"customers", "payment_methods", "search", "chat.postMessage", "conversations.list", "getUploadURLExternal",
            "show_many", "oauth2", "sha256", "x509Certificates", "IncomingPhoneNumbers", "users.profile.get", "me",
            "line_items", "ipv4Address", "2fa"})
    void wordsStayConstants(String segment) {
        assertThat(SegmentTyper.classify(segment, 2, "things", false)).isEqualTo(SegmentKind.WORD);
    }

    @ParameterizedTest(name = "{0} at index {1} after {2} is a version")
    @CsvSource({"v1, 0, ''", "v2beta1, 1, apis", "V3, 0, ''", "2010-04-01, 0, ''", "2, 1, api", "1.1, 0, ''", "v1.2, 2, x"})
    void versionSegmentsStayConstants(String segment, int index, String previous) {
        assertThat(SegmentTyper.classify(segment, index, previous.isEmpty() ? null : previous, false)).isEqualTo(SegmentKind.VERSION);
    }

    @ParameterizedTest(name = "a date after a parameter is a value: {0}")
    @CsvSource({"2024-03-15", "2010-04-01"})
    void datesAfterAParameterAreValues(String segment) {
        assertThat(SegmentTyper.classify(segment, 3, "stats", true)).isEqualTo(SegmentKind.DATE);
    }

    @ParameterizedTest(name = "suffix of {0} starts at {1}")
    @CsvSource({"SM123.json, 5", "Messages.json, 8", "report.PDF, 6", "chat.postMessage, -1", "users.profile.get, -1",
            "file.tar.gz, -1", "noext, -1", ".json, -1"})
    void onlyKnownFileSuffixesSplit(String segment, int expected) {
        assertThat(SegmentTyper.suffixStart(segment)).isEqualTo(expected);
    }
}

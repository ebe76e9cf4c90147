package io.portcullis.inspect.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.core.config.InboundPolicy.UnknownFields;
import io.portcullis.inspect.schema.ContractFinding.Kind;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VendorContractTest {
    static VendorContract payments;
    static VendorContract paymentsStrict;

    static Path spec(String name) {
        try {
            return Path.of(VendorContractTest.class.getResource("/schema/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void load() throws SpecException {
        payments = VendorContract.load(List.of(spec("payments-openapi30.yaml")), UnknownFields.ALLOW);
        paymentsStrict = VendorContract.load(List.of(spec("payments-openapi30.yaml")), UnknownFields.REJECT);
    }

    static final String CUSTOMER = """
            {"id":"cus_123","object":"customer","email":null,"created":1700000000,"address":{"line1":"1 Main St","country":"DE"},"extra":1}""";

    @Test
    void aConformingResponsePassesAndUnknownFieldsAreAllowedByDefault() {
        assertThat(payments.checkResponse("GET", "/v1/customers/cus_123", 200, "application/json; charset=utf-8", json(CUSTOMER))).isEmpty();
    }

    @Test
    void strictModeRejectsUndeclaredPropertiesAtTheirPath() {
        var f = paymentsStrict.checkResponse("GET", "/v1/customers/cus_123", 200, "application/json", json(
                "{\"id\":\"cus_1\",\"object\":\"customer\",\"created\":1,\"address\":{\"country\":\"DE\",\"geo\":\"x\"}}"));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Kind.SCHEMA_VIOLATION);
            assertThat(x.jsonPath()).isEqualTo("$.address");
            assertThat(x.reason()).contains("additionalProperties");
        });
    }

    @Test
    void strictModeKeepsAllOfCompositionWorking() {
        assertThat(paymentsStrict.checkResponse("GET", "/v1/charges/ch_1", 200, "application/json",
                json("{\"id\":\"ch_1\",\"amount\":100,\"currency\":\"eur\"}"))).isEmpty();
        assertThat(paymentsStrict.checkResponse("GET", "/v1/charges/ch_1", 200, "application/json",
                json("{\"id\":\"ch_1\",\"amount\":100,\"refund_to\":\"attacker\"}")))
                .singleElement().satisfies(x -> assertThat(x.reason()).contains("refund_to"));
        assertThat(payments.checkResponse("GET", "/v1/charges/ch_1", 200, "application/json",
                json("{\"id\":\"ch_1\",\"amount\":100,\"refund_to\":\"attacker\"}"))).isEmpty();
    }

    @Test
    void schemaViolationsCarryPathReasonAndMaskedExcerptButNeverTheValue() {
        var f = payments.checkResponse("GET", "/v1/customers/cus_123", 200, "application/json", json(
                "{\"id\":\"acct_secretvalue99\",\"object\":\"customer\",\"created\":\"yesterday\"}"));
        assertThat(f).extracting(ContractFinding::jsonPath).containsExactlyInAnyOrder("$.id", "$.created");
        assertThat(f).allSatisfy(x -> {
            assertThat(x.reason()).doesNotContain("secretvalue", "yesterday");
            assertThat(x.excerpt()).doesNotContain("secretvalue", "yesterday");
            assertThat(x.operation()).isEqualTo("GET /customers/{id}");
        });
        assertThat(f).filteredOn(x -> x.jsonPath().equals("$.id")).singleElement()
                .satisfies(x -> assertThat(x.excerpt()).isEqualTo("string(18) \"ac********\""));
    }

    @Test
    void constantPathSegmentsWinOverParameters() {
        assertThat(payments.operation("GET", "/v1/customers/search")).contains("GET /customers/search");
        assertThat(payments.operation("GET", "/v1/customers/cus_9")).contains("GET /customers/{id}");
        assertThat(payments.operation("GET", "/v1/files/invoice-7.pdf")).contains("GET /files/{name}.pdf");
        assertThat(payments.operation("GET", "/v1/files/invoice-7.txt")).isEmpty();
        assertThat(payments.operation("DELETE", "/v1/customers/cus_9/card")).contains("DELETE /customers/{id}/card");
        assertThat(payments.operation("GET", "/customers/cus_9?expand=x")).as("without base path").contains("GET /customers/{id}");
    }

    @Test
    void statusesMatchExactlyThenByRangeThenDefault() {
        String error = "{\"error\":{\"code\":\"x\"}}";
        assertThat(payments.checkResponse("GET", "/v1/customers/c", 404, "application/json", json(error))).isEmpty();
        assertThat(payments.checkResponse("GET", "/v1/customers/c", 429, "application/problem+json", json(error))).isEmpty();
        assertThat(payments.checkResponse("GET", "/v1/customers/c", 429, "application/json", json(error)))
                .singleElement().extracting(ContractFinding::kind).isEqualTo(Kind.UNDOCUMENTED_CONTENT_TYPE);
        assertThat(payments.checkResponse("GET", "/v1/customers/c", 503, "application/json", json(error))).isEmpty();
        assertThat(payments.checkResponse("GET", "/v1/customers/search?query=a", 500, "application/json", json(error)))
                .singleElement().extracting(ContractFinding::kind).isEqualTo(Kind.UNDOCUMENTED_STATUS);
    }

    @Test
    void bodiesWhereNoneIsDocumentedAndNonJsonBodiesAreFindings() {
        assertThat(payments.checkResponse("DELETE", "/v1/customers/c/card", 204, null, new byte[0])).isEmpty();
        assertThat(payments.checkResponse("DELETE", "/v1/customers/c/card", 204, "text/plain", json("surprise")))
                .singleElement().extracting(ContractFinding::kind).isEqualTo(Kind.UNDOCUMENTED_BODY);
        assertThat(payments.checkResponse("GET", "/v1/customers/c", 200, "application/json", json("{\"id\": ")))
                .singleElement().extracting(ContractFinding::kind).isEqualTo(Kind.BODY_NOT_JSON);
        assertThat(payments.checkResponse("GET", "/v1/customers/c", 200, "text/html", json("<html>")))
                .singleElement().extracting(ContractFinding::kind).isEqualTo(Kind.UNDOCUMENTED_CONTENT_TYPE);
        assertThat(payments.checkResponse("GET", "/v1/files/a.pdf", 200, "application/pdf", json("%PDF-1.7"))).isEmpty();
        assertThat(payments.checkResponse("GET", "/v1/nope", 200, "application/json", json("{}")))
                .singleElement().extracting(ContractFinding::kind).isEqualTo(Kind.UNKNOWN_OPERATION);
    }

    @Test
    void requestsAreValidatedForBodyRequiredParametersAndHeaders() {
        assertThat(payments.checkRequest("POST", "/v1/customers", null, Set.of("Idempotency-Key"), "application/json",
                json("{\"email\":\"a@b.example\"}"))).isEmpty();
        var f = payments.checkRequest("POST", "/v1/customers", null, Set.of(), "application/json", json("{\"name\":\"x\"}"));
        assertThat(f).extracting(ContractFinding::kind).containsExactlyInAnyOrder(Kind.MISSING_PARAMETER, Kind.SCHEMA_VIOLATION);
        assertThat(payments.checkRequest("POST", "/v1/customers", null, Set.of("idempotency-key"), null, new byte[0]))
                .singleElement().extracting(ContractFinding::kind).isEqualTo(Kind.MISSING_BODY);
        assertThat(payments.checkRequest("GET", "/v1/customers/search", "limit=3", null, null, null))
                .singleElement().satisfies(x -> assertThat(x.reason()).contains("'query'"));
    }

    @Test
    void openApi31TypeArraysAndServerBasePathsWork() throws SpecException {
        var c = VendorContract.load(spec("shipping-openapi31.json"));
        assertThat(c.checkResponse("GET", "/api/shipments/s1", 200, "application/json", json("{\"id\":\"s1\",\"weight_grams\":5,\"note\":null}"))).isEmpty();
        assertThat(c.checkResponse("GET", "/api/shipments/s1", 200, "application/json", json("{\"id\":\"s1\",\"weight_grams\":0,\"note\":7}")))
                .extracting(ContractFinding::jsonPath).containsExactlyInAnyOrder("$.weight_grams", "$.note");
    }

    @Test
    void swagger2SpecsAreConvertedWithTheirBasePath() throws SpecException {
        var c = VendorContract.load(spec("legacy-swagger2.yaml"));
        assertThat(c.checkResponse("GET", "/rest/v2/contacts/42", 200, "application/json", json("{\"id\":42,\"name\":\"Ada\"}"))).isEmpty();
        assertThat(c.checkResponse("GET", "/rest/v2/contacts/42", 200, "application/json", json("{\"id\":\"42\",\"name\":\"Ada\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}")))
                .extracting(ContractFinding::jsonPath).containsExactlyInAnyOrder("$.id", "$.tags");
    }

    @Test
    void severalSpecFilesPerVendorAreMerged() throws SpecException {
        var c = VendorContract.load(List.of(spec("payments-openapi30.yaml"), spec("legacy-swagger2.yaml")), UnknownFields.ALLOW);
        assertThat(c.operation("GET", "/rest/v2/contacts/1")).isPresent();
        assertThat(c.operation("GET", "/v1/customers/search")).isPresent();
        assertThat(c.operationCount()).isEqualTo(7);
    }

    @Test
    void aBrokenSpecIsAConfigErrorNamingTheFileAndLocation() {
        assertThatThrownBy(() -> VendorContract.load(spec("broken-ref.yaml")))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("broken-ref.yaml")
                .hasMessageContaining("/paths/~1x/get/responses/200/content/application~1json/schema");
        assertThatThrownBy(() -> VendorContract.load(spec("bad-syntax.yaml")))
                .isInstanceOf(SpecException.class).hasMessageContaining("bad-syntax.yaml");
        assertThatThrownBy(() -> VendorContract.load(spec("not-a-spec.json")))
                .isInstanceOf(SpecException.class).hasMessageContaining("not-a-spec.json");
        assertThatThrownBy(() -> VendorContract.load(Path.of("target/does-not-exist.yaml")))
                .isInstanceOf(SpecException.class).hasMessageContaining("not found");
        assertThatThrownBy(() -> VendorContract.load(List.of(spec("payments-openapi30.yaml"), spec("payments-openapi30.yaml")), UnknownFields.ALLOW))
                .isInstanceOf(SpecException.class).hasMessageContaining("defined twice");
    }

    @Test
    void queryParameterValuesAreValidatedAgainstTheirSchemas() {
        assertThat(payments.checkRequest("GET", "/v1/customers/search", "query=ada&limit=100&status=active,closed", null, null, null)).isEmpty();
        assertThat(payments.checkRequest("GET", "/v1/customers/search", "query=ada&limit=101", null, null, null))
                .singleElement().satisfies(f -> {
                    assertThat(f.jsonPath()).isEqualTo("query.limit");
                    assertThat(f.reason()).startsWith("maximum");
                });
        assertThat(payments.checkRequest("GET", "/v1/customers/search", "query=ada&limit=ten", null, null, null))
                .singleElement().satisfies(f -> assertThat(f.reason()).startsWith("type"));
        assertThat(payments.checkRequest("GET", "/v1/customers/search", "query=ada&status=active,deleted", null, null, null))
                .singleElement().satisfies(f -> assertThat(f.jsonPath()).isEqualTo("query.status[1]"));
        assertThat(payments.checkRequest("GET", "/v1/customers/search", "query=ada&limit=%zz", null, null, null))
                .as("undecodable escapes are validated as text, never thrown").hasSize(1);
    }
}

package io.portcullis.inspect.schema;

import static io.portcullis.inspect.schema.VendorContractTest.json;
import static io.portcullis.inspect.schema.VendorContractTest.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.core.config.InboundPolicy.UnknownFields;
import io.portcullis.inspect.schema.ContractFinding.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Webhook deliveries validated against a vendor's OpenAPI 3.1 webhooks, a paths operation, or a JSON Schema of its events. */
class DeliveryContractTest {
    static final String PAID = """
            {"id":"evt_1Qa","type":"invoice.paid","created":1760000000,"data":{"id":"in_9","amount_paid":4200,"currency":"eur"}}""";
    static final String DELETED = """
            {"id":"evt_2Qb","type":"customer.deleted","created":1760000001,"data":{"id":"cus_77"}}""";

    static DeliveryContract hooks(UnknownFields u, String... names) throws SpecException {
        return DeliveryContract.load(List.of(spec("billing-webhooks-openapi31.yaml")), u, List.of(names), Optional.empty());
    }

    @Test
    void anyDocumentedWebhookMatchesWhenNoneIsNamed() throws Exception {
        var c = hooks(UnknownFields.ALLOW);
        assertThat(c.check("application/json", json(PAID))).isEmpty();
        assertThat(c.check("application/json; charset=utf-8", json(DELETED))).isEmpty();
    }

    @Test
    void aDeliveryMatchingNoWebhookReportsTheClosestWithPathsAndNoValues() throws Exception {
        var c = hooks(UnknownFields.ALLOW);
        var f = c.check("application/json", json(PAID.replace("4200", "\"4200; rm -rf /\"")));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(Kind.SCHEMA_VIOLATION);
            assertThat(x.operation()).isEqualTo("webhook invoice.paid");
            assertThat(x.jsonPath()).isEqualTo("$.data.amount_paid");
            assertThat(x.reason() + x.excerpt()).doesNotContain("rm -rf");
        });
    }

    @Test
    void namingOneWebhookRestrictsTheDeliveriesAccepted() throws Exception {
        var c = hooks(UnknownFields.ALLOW, "customer.deleted");
        assertThat(c.check("application/json", json(DELETED))).isEmpty();
        assertThat(c.check("application/json", json(PAID))).isNotEmpty()
                .allSatisfy(x -> assertThat(x.operation()).isEqualTo("webhook customer.deleted"));
    }

    @Test
    void unknownFieldsRejectClosesTheComposedEnvelope() throws Exception {
        String extra = DELETED.replace("\"created\"", "\"injected\":true,\"created\"");
        assertThat(hooks(UnknownFields.ALLOW).check("application/json", json(extra))).isEmpty();
        assertThat(hooks(UnknownFields.REJECT).check("application/json", json(extra))).isNotEmpty();
        assertThat(hooks(UnknownFields.REJECT).check("application/json", json(DELETED))).isEmpty();
    }

    @Test
    void wrongContentTypeNotJsonAndEmptyBodiesAreFindingsNotExceptions() throws Exception {
        var c = hooks(UnknownFields.ALLOW, "invoice.paid");
        assertThat(c.check("text/plain", json(PAID))).extracting(ContractFinding::kind).containsExactly(Kind.UNDOCUMENTED_CONTENT_TYPE);
        assertThat(c.check("application/json", json("{\"id\":"))).extracting(ContractFinding::kind).containsExactly(Kind.BODY_NOT_JSON);
        assertThat(c.check("application/json", new byte[0])).extracting(ContractFinding::kind).containsExactly(Kind.MISSING_BODY);
        assertThat(c.check(null, json(PAID))).extracting(ContractFinding::kind).containsExactly(Kind.UNDOCUMENTED_CONTENT_TYPE);
    }

    @Test
    void aPathsOperationCanDescribeTheDelivery() throws Exception {
        var c = DeliveryContract.load(List.of(spec("payments-openapi30.yaml")), UnknownFields.ALLOW, List.of(), Optional.of("POST /customers"));
        assertThat(c.check("application/json", json("{\"email\":\"a@example.com\"}"))).isEmpty();
        assertThat(c.check("application/json", json("{\"email\":42}"))).isNotEmpty();
    }

    @Test
    void aSelectionTheSpecLacksFailsTheLoad() {
        assertThatThrownBy(() -> hooks(UnknownFields.ALLOW, "invoice.voided")).isInstanceOf(SpecException.class)
                .satisfies(e -> assertThat(((SpecException) e).problems()).singleElement().asString()
                        .contains("invoice.voided").contains("invoice.paid, customer.deleted"));
        assertThatThrownBy(() -> DeliveryContract.load(List.of(spec("payments-openapi30.yaml")), UnknownFields.ALLOW, List.of(), Optional.empty()))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> assertThat(((SpecException) e).problems()).singleElement().asString().contains("no webhooks: section"));
        assertThatThrownBy(() -> DeliveryContract.load(List.of(spec("payments-openapi30.yaml")), UnknownFields.ALLOW, List.of(), Optional.of("POST /nowhere")))
                .isInstanceOf(SpecException.class)
                .satisfies(e -> assertThat(((SpecException) e).problems()).singleElement().asString().contains("not documented"));
    }

    @Test
    void aJsonSchemaOfTheVendorsEventsValidatesDeliveries() throws Exception {
        var c = DeliveryContract.load(List.of(spec("shipment-event.schema.json")), UnknownFields.ALLOW, List.of(), Optional.empty());
        String ok = "{\"event\":\"track_updated\",\"tracking_number\":\"9205590164917312751089\",\"status\":{\"code\":\"TRANSIT\"},\"eta\":null}";
        assertThat(c.check("application/json", json(ok))).isEmpty();
        assertThat(c.check("application/json", json(ok.replace("TRANSIT", "LOST")))).singleElement()
                .satisfies(x -> assertThat(x.jsonPath()).isEqualTo("$.status.code"));
        String extra = ok.replace("\"eta\"", "\"note\":\"x\",\"eta\"");
        assertThat(c.check("application/json", json(extra))).isEmpty();
        var strict = DeliveryContract.load(List.of(spec("shipment-event.schema.json")), UnknownFields.REJECT, List.of(), Optional.empty());
        assertThat(strict.check("application/json", json(extra))).isNotEmpty();
        assertThat(strict.check("application/json", json(ok.replace("{\"code\":\"TRANSIT\"}", "{\"code\":\"TRANSIT\",\"x\":1}")))).isNotEmpty();
        assertThatThrownBy(() -> DeliveryContract.load(List.of(spec("shipment-event.schema.json")), UnknownFields.ALLOW, List.of("a"), Optional.empty()))
                .isInstanceOf(SpecException.class);
    }
}

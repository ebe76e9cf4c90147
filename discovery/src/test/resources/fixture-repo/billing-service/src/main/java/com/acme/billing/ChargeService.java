package com.acme.billing;

import com.stripe.Stripe;
import com.stripe.model.Charge;
import java.util.List;

/** Charges customers. API reference: https://docs.stripe.com/api/charges */
public final class ChargeService {
    private static final String STRIPE_BASE = "https://api.stripe.com/v1/charges";
    private static final String HEALTH = "http://localhost:8080/health";
    private static final String PARTNER = "https://api.partner-logistics.io/v2/shipments?token=abc123";
    private static final String AWS_KEY = "AKIAIOSFODNN7EXAMPLE";

    List<Charge> recent() {
        Stripe.apiBase = STRIPE_BASE;
        return List.of();
    }
}

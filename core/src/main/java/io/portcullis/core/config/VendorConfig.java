package io.portcullis.core.config;

import java.util.List;

/** A third party: who owns the relationship, why we use it, and its APIs. */
public record VendorConfig(String name, String owner, String purpose, List<String> attestations, List<ApiConfig> apis) {}

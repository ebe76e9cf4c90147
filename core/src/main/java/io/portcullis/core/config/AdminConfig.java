package io.portcullis.core.config;

/** The admin listener: Prometheus metrics and health; loopback unless the operator says otherwise. */
public record AdminConfig(String host, int port) {}

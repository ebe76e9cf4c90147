package io.portcullis.gateway.snapshot;

import io.portcullis.core.config.PortcullisConfig;
import io.portcullis.gateway.identity.AppIdentifier;

/**
 * Everything the data plane needs to handle a request, compiled once from a validated configuration
 * and never changed afterwards. A reload builds a new snapshot and swaps it in atomically; exchanges
 * in flight finish on the snapshot they started with.
 */
public record GatewaySnapshot(PortcullisConfig config, RouteTable<CompiledApi> routes, AppIdentifier identifier, long generation) {}

package io.portcullis.gateway;

import io.portcullis.core.event.Direction;
import io.portcullis.core.event.EventBus;
import io.portcullis.core.event.ExchangeEvent;
import io.portcullis.core.event.SecurityEvent;
import io.portcullis.core.event.Severity;
import io.portcullis.gateway.pipeline.Exchange;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;

/** Turns what the data plane reports into audit events on the bus; never blocks (the bus drops and counts). */
public final class AuditedGatewayEvents implements GatewayEvents {
    private final EventBus bus;
    private final Direction direction;

    public AuditedGatewayEvents(EventBus bus, Direction direction) {
        this.bus = bus;
        this.direction = direction;
    }

    @Override
    public void exchangeCompleted(Exchange x, int status, long bytesIn, long bytesOut, long durationNanos, String error) {
        // after routing, the URI is the vendor's (base path + path below the route): what discovery learns from
        String uri = x.request().uri();
        String appPath = pathOf(uri);
        int q = uri.indexOf('?');
        var b = ExchangeEvent.builder(x.startTime(), x.requestId(), "INBOUND".equals(x.attributes().get("direction")) ? Direction.INBOUND : direction)
                .method(x.request().method().name())
                .path(appPath)
                .query(q < 0 ? null : uri.substring(q + 1))
                .protocol(x.protocol())
                .clientAddress(x.clientAddress() instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress() : null)
                .app(x.app()).vendor(x.vendor()).api(x.api()).host(x.upstreamHost())
                .authScheme(x.authScheme())
                .status(status).bytesIn(bytesIn).bytesOut(bytesOut).durationNanos(durationNanos)
                .error(error);
        for (var d : x.decisions()) b.decision(d);
        for (var f : x.findings()) b.finding(f);
        for (var c : x.dataClasses()) b.dataClass(c);
        for (var a : x.attributes().entrySet()) b.attribute(a.getKey(), a.getValue());
        bus.publish(b.build());
    }

    private static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    @Override
    public void securityEvent(String type, String severity, String vendor, String api, String app, String message, Map<String, String> attributes) {
        Severity sev;
        try {
            sev = Severity.valueOf(severity.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            sev = Severity.MEDIUM;
        }
        bus.publish(SecurityEvent.of(type, sev, vendor, api, app, message, attributes));
    }
}

package io.portcullis.gateway.listen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** RFC 9110 §7.6.1: fixed hop-by-hop fields and those named in Connection are not relayed. */
class HopByHopTest {
    static HttpHeaders headers() {
        return new DefaultHttpHeaders()
                .add("Host", "api.example.com")
                .add("Connection", "close, X-Trace-Hop ,  Foo")
                .add("Keep-Alive", "timeout=5")
                .add("TE", "trailers")
                .add("Transfer-Encoding", "chunked")
                .add("Upgrade", "websocket")
                .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                .add("X-Trace-Hop", "1")
                .add("foo", "bar")
                .add("x-http2-stream-id", "3")
                .add("Accept", "application/json")
                .add("Content-Type", "application/json");
    }

    @Test
    void fixedAndConnectionNamedFieldsAreRemovedOthersKept() {
        var h = headers();
        HopByHop.strip(h, true);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "Accept", "Content-Type");
    }

    @Test
    void http2ExtensionHeadersStayWhenTheMessageDidNotComeFromHttp2() {
        var h = headers();
        HopByHop.strip(h, false);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "Accept", "Content-Type", "x-http2-stream-id");
    }

    @Test
    void nothingToStripLeavesTheHeadersAlone() {
        var h = new DefaultHttpHeaders().add("Host", "a").add("Accept", "*/*").add("X-Request-Id", "r1");
        HopByHop.strip(h, true);
        assertThat(h.names()).containsExactlyInAnyOrder("Host", "Accept", "X-Request-Id");
    }
}

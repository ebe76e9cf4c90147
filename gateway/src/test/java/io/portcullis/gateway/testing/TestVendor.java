package io.portcullis.gateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real vendor API over a real socket (JDK HttpServer, optionally TLS). By default it echoes what it
 * received as JSON; tests can register other behaviours per path.
 */
public final class TestVendor implements AutoCloseable {
    /** What the vendor saw of one request. */
    public record Seen(String method, String uri, Map<String, List<String>> headers, long bodyBytes) {}

    public interface Behaviour {
        void handle(HttpExchange ex, byte[] body) throws IOException;
    }

    private final HttpServer server;
    public final List<Seen> seen = new CopyOnWriteArrayList<>();
    public final AtomicInteger requests = new AtomicInteger();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private volatile boolean streamBody; // count body bytes without keeping them

    public TestVendor(SSLContext tls) throws IOException {
        this(tls, false);
    }

    /** With {@code requireClientCertificate}, the TLS handshake fails unless the caller presents a trusted certificate. */
    public TestVendor(SSLContext tls, boolean requireClientCertificate) throws IOException {
        if (tls != null) {
            var s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            s.setHttpsConfigurator(new HttpsConfigurator(tls) {
                @Override
                public void configure(com.sun.net.httpserver.HttpsParameters params) {
                    var p = getSSLContext().getDefaultSSLParameters();
                    p.setNeedClientAuth(requireClientCertificate);
                    params.setSSLParameters(p);
                }
            });
            server = s;
        } else {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::dispatch);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public TestVendor on(String pathPrefix, Behaviour b) {
        behaviours.put(pathPrefix, b);
        return this;
    }

    public TestVendor countOnly() {
        streamBody = true;
        return this;
    }

    private void dispatch(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        byte[] body;
        long n;
        try (InputStream in = ex.getRequestBody()) {
            if (streamBody) {
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                int r;
                while ((r = in.read(buf)) > 0) total += r;
                body = new byte[0];
                n = total;
            } else {
                body = in.readAllBytes();
                n = body.length;
            }
        }
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders()), n));
        String path = ex.getRequestURI().getPath();
        Behaviour best = null;
        int bestLen = -1;
        for (var e : behaviours.entrySet()) {
            if (path.startsWith(e.getKey()) && e.getKey().length() > bestLen) {
                best = e.getValue();
                bestLen = e.getKey().length();
            }
        }
        if (best != null) {
            best.handle(ex, body);
            return;
        }
        byte[] out = ("{\"method\":\"" + ex.getRequestMethod() + "\",\"uri\":\"" + ex.getRequestURI() + "\",\"bytes\":" + n + "}").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    public static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

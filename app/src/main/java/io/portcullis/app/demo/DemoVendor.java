package io.portcullis.app.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/** "Acme Payments", the built-in sample vendor API the demo routes to: HTTPS on a loopback port. */
public final class DemoVendor implements AutoCloseable {
    private final HttpsServer server;

    public DemoVendor(SSLContext tls) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/charges", this::charges);
        server.createContext("/", ex -> send(ex, 404, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Unrecognized request URL\"}}"));
        server.start();
    }

    private void charges(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        if ("POST".equals(ex.getRequestMethod())) {
            send(ex, 200, "{\"id\":\"ch_3PqK9f2eZvKYlo2C0x1a2b3c\",\"object\":\"charge\",\"amount\":2000,\"currency\":\"eur\",\"status\":\"succeeded\"}");
        } else {
            send(ex, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"ch_3PqK9f2eZvKYlo2C0x1a2b3c\",\"amount\":2000,\"currency\":\"eur\",\"status\":\"succeeded\"}],\"has_more\":false}");
        }
    }

    private static void send(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Request-Id", "req_demo" + Long.toHexString(System.nanoTime()));
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

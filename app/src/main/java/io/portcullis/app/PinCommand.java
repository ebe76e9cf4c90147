package io.portcullis.app;

import io.portcullis.gateway.upstream.SpkiPins;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code portcullis pin HOST[:PORT]}: connects with normal verification and prints the chain's SPKI pins. */
@Command(name = "pin", mixinStandardHelpOptions = true,
        description = "Connect to HOST[:PORT] (verifying the certificate as usual) and print the sha256/ pins of its chain.")
public final class PinCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "host or host:port (default port 443)")
    String target;

    @Override
    public Integer call() {
        String host = target;
        int port = 443;
        int c = target.lastIndexOf(':');
        if (c > 0 && !target.endsWith("]")) {
            host = target.substring(0, c);
            port = Integer.parseInt(target.substring(c + 1));
        }
        try (var s = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket(host, port)) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.startHandshake();
            for (var cert : s.getSession().getPeerCertificates()) {
                var x = (X509Certificate) cert;
                System.out.println(SpkiPins.pinOf(x) + "  " + x.getSubjectX500Principal().getName());
            }
            return 0;
        } catch (Exception e) {
            System.err.println("portcullis: could not read the certificate chain of " + target + ": " + e.getMessage());
            return 2;
        }
    }
}

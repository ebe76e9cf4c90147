package io.portcullis.gateway.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Generates real certificate authorities and leaf certificates for tests (EC P-256, written as PEM). */
public final class TestPki {
    /** A certificate with its key. */
    public record Issued(X509Certificate cert, PrivateKey key, List<X509Certificate> chain) {
        public Path writeCert(Path dir, String name) throws IOException {
            Path p = dir.resolve(name);
            Files.writeString(p, pem(chain.toArray()));
            return p;
        }

        public Path writeKey(Path dir, String name) throws IOException {
            Path p = dir.resolve(name);
            Files.writeString(p, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate()));
            return p;
        }

        public SSLContext serverContext() throws Exception {
            var ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", key, "x".toCharArray(), chain.toArray(new X509Certificate[0]));
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
            var ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        }
    }

    private final KeyPair caKeys;
    private final X509Certificate caCert;

    public TestPki(String caName) throws Exception {
        caKeys = ecKeys();
        var now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + caName), serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))), new X500Name("CN=" + caName), caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        caCert = sign(b, caKeys.getPrivate());
    }

    public X509Certificate caCert() {
        return caCert;
    }

    public Path writeCa(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, pem(caCert));
        return p;
    }

    /** A leaf for {@code subject} with DNS and IP SANs (IPs given as literals). */
    public Issued issue(String subject, String... sans) throws Exception {
        KeyPair kp = ecKeys();
        var now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(new X500Name(caCert.getSubjectX500Principal().getName()), serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), kp.getPublic());
        var names = new ArrayList<GeneralName>();
        for (String s : sans) {
            boolean ip = s.chars().allMatch(c -> Character.isDigit(c) || c == '.') || s.contains(":");
            names.add(ip ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(s).getHostAddress()) : new GeneralName(GeneralName.dNSName, s));
        }
        if (!names.isEmpty()) b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        var cert = sign(b, caKeys.getPrivate());
        return new Issued(cert, kp.getPrivate(), List.of(cert, caCert));
    }

    public SSLContext clientTrusting() throws Exception {
        var ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", caCert);
        var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    private static KeyPair ecKeys() throws Exception {
        var g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    static String pem(Object... objects) throws IOException {
        var sw = new StringWriter();
        try (var w = new JcaPEMWriter(sw)) {
            for (Object o : objects) w.writeObject(o);
        }
        return sw.toString();
    }
}

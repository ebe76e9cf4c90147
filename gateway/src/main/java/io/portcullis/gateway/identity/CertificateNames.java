package io.portcullis.gateway.identity;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/** Names in X.509 certificates, compared the way operators write them. */
final class CertificateNames {
    private CertificateNames() {}

    /** DNS names, URIs, e-mail addresses and IP addresses from subjectAltName. */
    static List<String> subjectAltNames(X509Certificate cert) {
        var out = new ArrayList<String>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans == null) return out;
            for (List<?> san : sans) {
                Object v = san.size() > 1 ? san.get(1) : null;
                if (v instanceof String s) out.add(s);
            }
        } catch (CertificateParsingException e) {
            return out;
        }
        return out;
    }

    /** Distinguished names equal attribute by attribute (order, spacing and case of types ignored). */
    static boolean sameDn(String configured, String actual) {
        try {
            var a = new LdapName(configured);
            var b = new LdapName(actual);
            return a.getRdns().size() == b.getRdns().size() && a.getRdns().containsAll(b.getRdns());
        } catch (InvalidNameException e) {
            return false;
        }
    }
}

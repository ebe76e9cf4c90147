package io.portcullis.discovery.code;

import java.io.InputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** StAX readers hardened against XXE: no DTDs, no external entities. */
final class XmlReaders {
    private static final XMLInputFactory FACTORY;

    static {
        FACTORY = XMLInputFactory.newFactory();
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private XmlReaders() {}

    static XMLStreamReader create(InputStream in) throws XMLStreamException {
        synchronized (FACTORY) {
            return FACTORY.createXMLStreamReader(in);
        }
    }

    static String describe(XMLStreamException e) {
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
        String msg = e.getMessage() == null ? "malformed XML" : e.getMessage().replaceAll("(?s)^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\]\\s*Message:\\s*", "");
        return (line > 0 ? "line " + line + ": " : "") + "not well-formed XML: " + msg.lines().findFirst().orElse("");
    }
}

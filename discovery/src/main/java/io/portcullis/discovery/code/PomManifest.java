package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Maven {@code pom.xml}: every {@code <dependency>} (including dependencyManagement and plugin dependencies). */
public final class PomManifest implements ManifestParser {
    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        try {
            XMLStreamReader r = XmlReaders.create(new ByteArrayInputStream(content, 0, length));
            Deque<String> path = new ArrayDeque<>();
            String group = null, artifact = null, version = null;
            int line = 0;
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    path.push(name);
                    text.setLength(0);
                    if (name.equals("dependency")) {
                        group = artifact = version = null;
                        line = r.getLocation().getLineNumber();
                    }
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    text.append(r.getText());
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    String name = path.pop();
                    boolean inDependency = "dependency".equals(path.peek());
                    if (inDependency && name.equals("groupId")) {
                        group = text.toString().trim();
                    } else if (inDependency && name.equals("artifactId")) {
                        artifact = text.toString().trim();
                    } else if (inDependency && name.equals("version")) {
                        version = text.toString().trim();
                    } else if (name.equals("dependency") && group != null && artifact != null) {
                        deps.add(new DeclaredDependency(Ecosystem.MAVEN, group + ":" + artifact, version == null ? "" : version, line));
                    }
                    text.setLength(0);
                }
            }
        } catch (XMLStreamException e) {
            return new ManifestContents(deps, List.of(XmlReaders.describe(e)));
        }
        return new ManifestContents(deps, List.of());
    }
}

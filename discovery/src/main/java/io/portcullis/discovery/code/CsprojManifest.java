package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.Ecosystem;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** .NET project file: {@code <PackageReference Include="X" Version="1"/>} (Version as attribute or child). */
public final class CsprojManifest implements ManifestParser {
    @Override
    public ManifestContents parse(byte[] content, int length) {
        List<DeclaredDependency> deps = new ArrayList<>();
        try {
            XMLStreamReader r = XmlReaders.create(new ByteArrayInputStream(content, 0, length));
            String name = null;
            String version = null;
            int line = 0;
            boolean inVersion = false;
            StringBuilder text = new StringBuilder();
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    if (r.getLocalName().equals("PackageReference")) {
                        name = r.getAttributeValue(null, "Include");
                        if (name == null) {
                            name = r.getAttributeValue(null, "Update");
                        }
                        version = r.getAttributeValue(null, "Version");
                        line = r.getLocation().getLineNumber();
                    } else if (name != null && r.getLocalName().equals("Version")) {
                        inVersion = true;
                        text.setLength(0);
                    }
                } else if (ev == XMLStreamConstants.CHARACTERS && inVersion) {
                    text.append(r.getText());
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    if (inVersion && r.getLocalName().equals("Version")) {
                        version = text.toString().trim();
                        inVersion = false;
                    } else if (r.getLocalName().equals("PackageReference") && name != null) {
                        deps.add(new DeclaredDependency(Ecosystem.NUGET, name.trim(), version == null ? "" : version, line));
                        name = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            return new ManifestContents(deps, List.of(XmlReaders.describe(e)));
        }
        return new ManifestContents(deps, List.of());
    }
}

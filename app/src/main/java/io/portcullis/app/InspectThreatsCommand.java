package io.portcullis.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.portcullis.inspect.threats.ThreatCategory;
import io.portcullis.inspect.threats.ThreatEngine;
import io.portcullis.inspect.threats.ThreatFinding;
import io.portcullis.inspect.threats.ThreatReport;
import io.portcullis.inspect.threats.ValueContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code portcullis inspect threats [--lines] [--type T] [FILE|-]}: runs the threat engine and prints one JSON line per
 * input ({@code line}, {@code verdict}, {@code categories}, {@code score}; body mode adds {@code findings} with paths and
 * {@code malformed}). Exit status: 0 all clean, 1 findings (or a malformed body), 2 error.
 */
@Command(name = "threats", mixinStandardHelpOptions = true,
        description = {"Scan for injection payloads (SQLi, XSS, command, path traversal, SSTI, SSRF, XXE, LDAP, NoSQL).",
                "Without --lines the input is one body (JSON, XML, form or a raw value; see --type).",
                "Exit status: 0 clean, 1 findings, 2 error."})
public final class InspectThreatsCommand implements Callable<Integer> {
    enum BodyType { auto, json, xml, form, value }

    @Option(names = "--lines", description = "Treat each input line as one raw string value.")
    boolean lines;

    @Option(names = "--type", defaultValue = "auto", description = "Body type without --lines: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    BodyType type;

    @Option(names = "--context", defaultValue = "JSON_VALUE",
            description = "Context of raw values: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ValueContext context;

    @Option(names = "--threshold", defaultValue = "" + ThreatEngine.DEFAULT_THRESHOLD, description = "Minimum score to report, 1..100.")
    int threshold;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Input file, or - for standard input (default).")
    String file = "-";

    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    public InspectThreatsCommand() {
        this(System.in, System.out, System.err);
    }

    InspectThreatsCommand(InputStream stdin, PrintStream out, PrintStream err) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        if (threshold < 1 || threshold > 100) {
            err.println("portcullis inspect threats: --threshold must be between 1 and 100");
            return 2;
        }
        ThreatEngine engine = new ThreatEngine(threshold);
        try (InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file))) {
            boolean any = false;
            if (lines) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                int n = 0;
                while ((line = r.readLine()) != null) {
                    n++;
                    ThreatReport rep = engine.scanValue(line, context);
                    any |= rep.isAttack();
                    out.println(render(n, rep, false));
                }
            } else {
                byte[] body = in.readAllBytes();
                ThreatReport rep = scanBody(engine, body);
                any = rep.isAttack();
                out.println(render(1, rep, true));
            }
            out.flush();
            return any ? 1 : 0;
        } catch (NoSuchFileException e) {
            err.println("portcullis inspect threats: no such file: " + file);
            return 2;
        } catch (IOException e) {
            err.println("portcullis inspect threats: cannot read " + file + ": " + e.getMessage());
            return 2;
        }
    }

    private ThreatReport scanBody(ThreatEngine engine, byte[] body) {
        BodyType t = type;
        if (t == BodyType.auto) t = sniff(body);
        return switch (t) {
            case json -> engine.scanJson(body);
            case xml -> engine.scanXml(new String(body, StandardCharsets.UTF_8));
            case form -> engine.scanForm(new String(body, StandardCharsets.UTF_8).strip());
            default -> engine.scanValue(new String(body, StandardCharsets.UTF_8), context);
        };
    }

    static BodyType sniff(byte[] body) {
        int i = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) i = 3;
        while (i < body.length && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) i++;
        if (i >= body.length) return BodyType.value;
        byte c = body[i];
        if (c == '{' || c == '[') return BodyType.json;
        if (c == '<') return BodyType.xml;
        String s = new String(body, StandardCharsets.UTF_8).strip();
        if (s.indexOf('=') > 0 && s.indexOf(' ') < 0 && s.indexOf('\n') < 0) return BodyType.form;
        return BodyType.value;
    }

    private static final JsonFactory JSON = new JsonFactory();

    static String render(int line, ThreatReport rep, boolean details) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeNumberField("line", line);
            g.writeStringField("verdict", rep.isAttack() ? "attack" : "clean");
            g.writeArrayFieldStart("categories");
            for (ThreatCategory c : rep.categories()) g.writeString(c.name());
            g.writeEndArray();
            g.writeNumberField("score", rep.maxScore());
            if (rep.malformed() != null) g.writeStringField("malformed", rep.malformed());
            if (details && !rep.findings().isEmpty()) {
                g.writeArrayFieldStart("findings");
                for (ThreatFinding f : rep.findings()) {
                    g.writeStartObject();
                    g.writeStringField("category", f.category().name());
                    g.writeNumberField("score", f.score());
                    g.writeStringField("path", f.path());
                    g.writeStringField("reason", f.reason());
                    g.writeStringField("excerpt", f.excerpt());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // StringWriter does not fail
        }
        return w.toString();
    }
}

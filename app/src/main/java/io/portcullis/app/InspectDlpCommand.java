package io.portcullis.app;

import io.portcullis.inspect.dlp.DlpEngine;
import io.portcullis.inspect.dlp.Finding;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code portcullis inspect dlp [--lines] [FILE|-]}: prints one JSON line per finding with {@code type},
 * {@code class}, {@code start}, {@code end}, {@code path}, {@code likelihood}, {@code masked} (and {@code line}
 * with {@code --lines}). Exit status: 0 nothing found, 1 findings, 2 error. Values are never printed.
 */
@Command(name = "dlp", mixinStandardHelpOptions = true,
        description = {"Find sensitive data (PCI, PII, secrets) in a payload; one JSON line per finding.",
            "Exit status: 0 nothing found, 1 findings, 2 error."})
public final class InspectDlpCommand implements Callable<Integer> {
    /** Largest whole input read into memory; bigger inputs should use --lines. */
    static final long MAX_WHOLE_INPUT = 1L << 30;
    /** Longest line in --lines mode. */
    static final int MAX_LINE = 64 << 20;

    @Option(names = "--lines", description = "Treat each input line as a separate payload (JSON Lines, logs).")
    boolean lines;

    @Option(names = "--content-type", paramLabel = "TYPE",
            description = "Structure of the payload (e.g. application/json, application/x-www-form-urlencoded); default: guessed.")
    String contentType;

    @Parameters(arity = "0..1", paramLabel = "FILE|-", description = "Input file, or - for standard input (default).")
    String file = "-";

    PrintStream out = System.out;
    PrintStream err = System.err;
    InputStream stdin = System.in;

    @Override
    public Integer call() {
        var engine = DlpEngine.builtIn();
        try (InputStream in = open()) {
            int found = lines ? scanLines(engine, in) : scanWhole(engine, in);
            out.flush();
            return found > 0 ? 1 : 0;
        } catch (NoSuchFileException e) {
            err.println("portcullis inspect dlp: no such file: " + file);
            return 2;
        } catch (InputTooLarge e) {
            err.println("portcullis inspect dlp: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("portcullis inspect dlp: cannot read " + (file.equals("-") ? "standard input" : file) + ": " + e.getMessage());
            return 2;
        }
    }

    private InputStream open() throws IOException {
        if (file.equals("-")) return new BufferedInputStream(stdin, 1 << 16);
        Path p = Path.of(file);
        if (Files.isDirectory(p)) throw new IOException("is a directory");
        return new BufferedInputStream(Files.newInputStream(p), 1 << 16);
    }

    private static final class InputTooLarge extends IOException {
        InputTooLarge(String m) {
            super(m);
        }
    }

    private int scanWhole(DlpEngine engine, InputStream in) throws IOException {
        var bos = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        long total = 0;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > MAX_WHOLE_INPUT) throw new InputTooLarge("input larger than 1 GiB; use --lines to scan it line by line");
            bos.write(buf, 0, n);
        }
        byte[] b = bos.toByteArray();
        List<Finding> f = contentType == null ? engine.scan(b) : engine.scanBody(b, contentType, null).findings();
        for (Finding x : f) print(x, -1);
        return f.size();
    }

    private int scanLines(DlpEngine engine, InputStream in) throws IOException {
        byte[] line = new byte[8192];
        int len = 0, lineNo = 1, found = 0;
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    found += scanLine(engine, line, len, lineNo++);
                    len = 0;
                    continue;
                }
                if (len == line.length) {
                    if (len >= MAX_LINE) throw new InputTooLarge("line " + lineNo + " is longer than " + MAX_LINE + " bytes");
                    line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, len * 2));
                }
                line[len++] = b;
            }
        }
        if (len > 0) found += scanLine(engine, line, len, lineNo);
        return found;
    }

    private int scanLine(DlpEngine engine, byte[] line, int len, int lineNo) {
        if (len > 0 && line[len - 1] == '\r') len--;
        byte[] b = java.util.Arrays.copyOf(line, len);
        List<Finding> f = contentType == null ? engine.scan(b) : engine.scanBody(b, contentType, null).findings();
        for (Finding x : f) print(x, lineNo);
        return f.size();
    }

    private void print(Finding f, int lineNo) {
        var sb = new StringBuilder(160).append('{');
        sb.append("\"type\":").append(quote(f.type()));
        sb.append(",\"class\":").append(quote(f.dataClass().name()));
        sb.append(",\"start\":").append(f.start());
        sb.append(",\"end\":").append(f.end());
        sb.append(",\"path\":").append(quote(f.path()));
        sb.append(",\"likelihood\":").append(quote(f.likelihood().name()));
        sb.append(",\"masked\":").append(quote(f.masked()));
        if (lineNo > 0) sb.append(",\"line\":").append(lineNo);
        out.println(sb.append('}'));
    }

    static String quote(String s) {
        return io.portcullis.core.json.JsonStrings.quote(s);
    }
}

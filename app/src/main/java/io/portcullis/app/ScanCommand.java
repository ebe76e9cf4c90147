package io.portcullis.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.portcullis.discovery.code.DlpSecretDetector;
import io.portcullis.discovery.code.RepoFinding;
import io.portcullis.discovery.code.RepoScanner;
import io.portcullis.discovery.code.ScanOptions;
import io.portcullis.discovery.code.ScanReport;
import io.portcullis.discovery.registry.VendorRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis scan repo DIR}: finds the third-party APIs a source tree uses. */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = "Scan code for third-party API use.",
        subcommands = {ScanCommand.Repo.class})
public final class ScanCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    @Command(name = "repo", mixinStandardHelpOptions = true,
            description = {
                "Walk a source tree and print one JSON line per finding: third-party API endpoints, SDK imports,",
                "vendor dependencies in manifests and lock files, and hard-coded secrets (masked).",
                "Skips .git, node_modules, vendor and third_party directories, binary files and files over the size cap;",
                "every skip is counted in the summary printed on stderr.",
                "Exit status: 0 nothing found, 1 findings, 2 error."})
    static final class Repo implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Root of the tree to scan.")
        Path root;

        @Option(names = "--max-file-size", paramLabel = "BYTES", defaultValue = "4194304",
                description = "Skip source and config files larger than this (default: ${DEFAULT-VALUE}). Manifests may be up to 64 MiB.")
        long maxFileSize;

        @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: number of processors).")
        Integer threads;

        @Option(names = "--store", paramLabel = "URL",
                description = "Also record the findings in the store (postgresql://host:port/db?user=..., or an H2 file path).")
        String store;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            ScanOptions options;
            try {
                options = ScanOptions.defaults().withMaxFileBytes(maxFileSize);
                if (threads != null) {
                    options = options.withThreads(threads);
                }
            } catch (IllegalArgumentException e) {
                err.println("portcullis scan repo: " + e.getMessage());
                return 2;
            }
            ScanReport report;
            try {
                VendorRegistry registry = VendorRegistry.bundled();
                report = new RepoScanner(registry, new DlpSecretDetector(registry), options).scan(root);
            } catch (IOException e) {
                err.println("portcullis scan repo: cannot scan " + root + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                return 2;
            }
            try {
                BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
                JsonFactory json = new JsonFactory();
                for (RepoFinding f : report.findings()) {
                    out.write(toJson(json, f));
                    out.write('\n');
                }
                out.flush();
            } catch (IOException e) {
                err.println("portcullis scan repo: cannot write output: " + e.getMessage());
                return 2;
            }
            for (String problem : report.problems()) {
                err.println("portcullis scan repo: warning: " + problem);
            }
            if (store != null) {
                try {
                    ScanStoreWriter.record(store, root, report);
                } catch (RuntimeException e) {
                    err.println("portcullis scan repo: cannot record findings in the store: " + e.getMessage());
                    err.println(report.summary().line());
                    return 2;
                }
            }
            err.println(report.summary().line());
            err.flush();
            return report.findings().isEmpty() ? 0 : 1;
        }

        static String toJson(JsonFactory json, RepoFinding f) throws IOException {
            StringWriter w = new StringWriter(160);
            try (JsonGenerator g = json.createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("kind", f.kind().wireName());
                g.writeStringField("vendor", f.vendor());
                g.writeStringField("file", f.file());
                g.writeNumberField("line", f.line());
                g.writeStringField("detail", f.detail());
                g.writeNumberField("occurrences", f.occurrences());
                g.writeEndObject();
            }
            return w.toString();
        }
    }
}

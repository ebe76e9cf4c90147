package io.portcullis.app;

import io.portcullis.core.audit.AuditChainKey;
import io.portcullis.core.audit.AuditVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code portcullis audit ...}: tools for the audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Work with the audit trail (JSON lines, ECS fields, hash-chained).",
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try 'audit verify FILE')");
    }

    /** {@code portcullis audit verify FILE|DIR...}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {
                "Check the hash chain of audit files and report the first tampered, missing, reordered or truncated "
                        + "record.",
                "Give the files (any order: rotated files are sorted oldest first, x.jsonl.N ... x.jsonl.1, x.jsonl) "
                        + "or the directory that holds them.",
                "If the gateway chained with an HMAC key, provide it via $PORTCULLIS_AUDIT_KEY or --key-file "
                        + "(forms: base64:..., hex:..., or raw text).",
                "Tail truncation (whole records cut from the end) cannot be seen in the files alone: keep the printed "
                        + "head (SEQ:HASH) elsewhere and pass it later with --anchor."},
            exitCodeListHeading = "Exit codes:%n",
            exitCodeList = {"0:the chain is intact", "1:the chain is broken (first problem printed)",
                "2:could not verify (bad arguments, unreadable file, key required)"})
    public static final class Verify implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Audit files or a directory.")
        List<Path> inputs;

        @Option(names = "--key-file", paramLabel = "PATH",
                description = "Read the HMAC key from this file instead of $" + AuditChainKey.ENV + ".")
        Path keyFile;

        @Option(names = "--require-genesis",
                description = "Fail unless the first record is seq 1 (no older files rotated away or withheld).")
        boolean requireGenesis;

        @Option(names = "--anchor", paramLabel = "SEQ:HASH",
                description = "A head printed by an earlier verify: fail if the chain no longer contains it "
                        + "(tail truncated or rewritten).")
        String anchor;

        @Override
        public Integer call() {
            byte[] key;
            List<Path> files;
            AuditVerifier.Anchor parsedAnchor;
            try {
                parsedAnchor = anchor == null ? null : AuditVerifier.Anchor.parse(anchor);
                key = keyFile != null
                        ? AuditChainKey.parse(Files.readString(keyFile, StandardCharsets.UTF_8).strip())
                        : AuditChainKey.fromEnvironment();
                if (keyFile != null && key == null) {
                    throw new IllegalArgumentException("key file " + keyFile + " is empty");
                }
                files = AuditVerifier.rotationOrder(inputs);
            } catch (IllegalArgumentException e) {
                return error(e.getMessage());
            } catch (IOException e) {
                return error("cannot read " + (keyFile != null ? keyFile : "input") + ": " + e.getMessage());
            }
            AuditVerifier.Result result = new AuditVerifier(key, requireGenesis).withAnchor(parsedAnchor)
                    .verify(files);
            if (result.exitCode() == 2) {
                return error(result.summary().replaceFirst("^ERROR: ", ""));
            }
            spec.commandLine().getOut().println(result.summary());
            spec.commandLine().getOut().flush();
            return result.exitCode();
        }

        private int error(String message) {
            spec.commandLine().getErr().println("ERROR: " + message);
            spec.commandLine().getErr().flush();
            return 2;
        }
    }
}

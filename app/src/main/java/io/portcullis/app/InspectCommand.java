package io.portcullis.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portcullis inspect}: parent of the inspection engines' commands (threats, dlp, schema, ...). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Run an inspection engine over files or standard input.",
        subcommands = {InspectThreatsCommand.class, InspectSchemaCommand.class, InspectDlpCommand.class})
public final class InspectCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

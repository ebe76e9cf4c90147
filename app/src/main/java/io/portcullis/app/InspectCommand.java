package io.portcullis.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code portcullis inspect ...}: run an inspection engine on a file or stdin, outside the gateway. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Run an inspection engine on a file or standard input.",
        subcommands = {InspectDlpCommand.class})
public final class InspectCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

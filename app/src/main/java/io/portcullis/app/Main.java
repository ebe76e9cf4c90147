package io.portcullis.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: builds the command tree by hand and runs it. */
@Command(name = "portcullis", mixinStandardHelpOptions = true, version = "portcullis 0.1.0",
        description = "Security gateway and control plane for third-party APIs.",
        subcommands = {CommandLine.HelpCommand.class, ServeCommand.class, DemoCommand.class, AuditCommand.class, HashKeyCommand.class, PinCommand.class,
                InspectCommand.class, DiscoverCommand.class, SecretsCommand.class, ScanCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}

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
        // Netty's leak detector (default: sampled) also tags every message at every pipeline hop, a cost
        // paid on each request; production runs without it. Tests run at PARANOID; -Dio.netty.leakDetection.level
        // set explicitly wins.
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }
}

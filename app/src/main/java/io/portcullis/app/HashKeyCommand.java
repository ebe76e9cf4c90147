package io.portcullis.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code portcullis hash-key}: reads an app API key from stdin and prints the {@code sha256:} digest for the config. */
@Command(name = "hash-key", mixinStandardHelpOptions = true,
        description = "Read an app API key from standard input and print the sha256: digest to put under apiKeys.")
public final class HashKeyCommand implements Callable<Integer> {
    @Override
    public Integer call() throws IOException, java.security.NoSuchAlgorithmException {
        byte[] in = System.in.readNBytes(64 * 1024);
        String key = new String(in, StandardCharsets.UTF_8).strip();
        if (key.isEmpty()) {
            System.err.println("portcullis: no key on standard input (usage: printf %s \"$KEY\" | portcullis hash-key)");
            return 2;
        }
        byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        System.out.println("sha256:" + HexFormat.of().formatHex(d));
        return 0;
    }
}

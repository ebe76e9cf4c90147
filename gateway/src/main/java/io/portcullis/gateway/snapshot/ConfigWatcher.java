package io.portcullis.gateway.snapshot;

import io.portcullis.core.config.ConfigException;
import io.portcullis.core.config.ConfigLoader;
import io.portcullis.core.config.PortcullisConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload: watches the configuration file (by content digest, polled, so editors that replace the
 * file by rename and network file systems both work) and, when it changes, loads and compiles it. A
 * valid file is handed to {@code onValid}; an invalid one is logged with every problem and handed to
 * {@code onInvalid}, and the snapshot in service stays as it was.
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final long intervalMillis;
    private final Consumer<PortcullisConfig> onValid;
    private final Consumer<ConfigException> onInvalid;
    private final Thread thread;
    private volatile boolean running = true;
    private byte[] lastDigest;

    public ConfigWatcher(Path file, long intervalMillis, Consumer<PortcullisConfig> onValid, Consumer<ConfigException> onInvalid) {
        this.file = file;
        this.intervalMillis = intervalMillis;
        this.onValid = onValid;
        this.onInvalid = onInvalid;
        this.lastDigest = digest();
        // interval <= 0: no polling; reloads happen only through checkNow()
        this.thread = intervalMillis > 0 ? Thread.ofVirtual().name("config-watcher").start(this::loop) : null;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            checkNow();
        }
    }

    /** Checks the file once (also used by tests and by SIGHUP-style triggers). */
    public synchronized void checkNow() {
        byte[] d = digest();
        if (d == null || Arrays.equals(d, lastDigest)) return;
        lastDigest = d;
        try {
            var cfg = ConfigLoader.load(file);
            onValid.accept(cfg);
        } catch (ConfigException e) {
            log.error("configuration reload rejected; the previous configuration keeps serving.\n{}", e.getMessage());
            onInvalid.accept(e);
        } catch (RuntimeException e) {
            log.error("configuration reload failed ({}); the previous configuration keeps serving", e.toString());
        }
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return null; // mid-rename or deleted: keep serving, look again next time
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) thread.interrupt();
    }
}

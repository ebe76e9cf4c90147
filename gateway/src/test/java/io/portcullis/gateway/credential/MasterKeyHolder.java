package io.portcullis.gateway.credential;

import io.portcullis.core.secret.MasterKey;
import io.portcullis.core.secret.SecretStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Tests that reopen a store need its key; remembered here by file. */
final class MasterKeyHolder {
    private static final Map<java.nio.file.Path, MasterKey> KEYS = new ConcurrentHashMap<>();

    static SecretStore store(java.nio.file.Path file) {
        var k = MasterKey.generate();
        KEYS.put(file.toAbsolutePath(), k);
        return new SecretStore(file, k);
    }

    static MasterKey key(SecretStore s) {
        return KEYS.get(s.file());
    }
}

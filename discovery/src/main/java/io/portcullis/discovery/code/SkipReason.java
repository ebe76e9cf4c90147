package io.portcullis.discovery.code;

import java.util.Locale;

/** Why the scanner did not read a file (or a whole directory). Every skip is counted, none is silent. */
public enum SkipReason {
    /** A directory of vendored or generated third-party code (node_modules, vendor, third_party, .git ...). */
    VENDORED_DIR,
    /** The file holds binary data (a NUL byte in its first 8 KiB, or a well-known binary extension). */
    BINARY,
    /** The file is larger than the configured cap. */
    TOO_LARGE,
    /** The file or directory could not be read (permissions, vanished during the walk, I/O error). */
    UNREADABLE,
    /** A symbolic link (never followed, so a scan cannot loop or leave the tree). */
    SYMLINK,
    /** Not a regular file (FIFO, socket, device): never opened, so a scan cannot block on it. */
    NOT_REGULAR;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

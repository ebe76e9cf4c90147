package io.portcullis.core.event;

/** How urgent a {@link SecurityEvent} is. {@link #ecsLevel()} is the numeric {@code event.severity} written to ECS. */
public enum Severity {
    INFO(1), LOW(2), MEDIUM(3), HIGH(4), CRITICAL(5);

    private final int ecsLevel;

    Severity(int ecsLevel) {
        this.ecsLevel = ecsLevel;
    }

    /** Numeric severity, 1 (info) to 5 (critical), as written to ECS {@code event.severity}. */
    public int ecsLevel() {
        return ecsLevel;
    }
}

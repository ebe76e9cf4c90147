package io.portcullis.control.store;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes Flyway's warnings and errors to SLF4J and drops its routine progress lines, so that CLI output
 * (JSON lines on stdout) stays clean whatever logging backend and level are configured. Instantiated by
 * Flyway by name.
 */
public final class FlywayLog implements LogCreator {
    @Override
    public Log createLogger(Class<?> clazz) {
        Logger logger = LoggerFactory.getLogger(clazz);
        return new Log() {
            @Override
            public boolean isDebugEnabled() {
                return false;
            }

            @Override
            public void debug(String message) {
                // routine progress: dropped
            }

            @Override
            public void info(String message) {
                // routine progress: dropped
            }

            @Override
            public void warn(String message) {
                logger.warn(message);
            }

            @Override
            public void error(String message) {
                logger.error(message);
            }

            @Override
            public void error(String message, Exception e) {
                logger.error(message, e);
            }

            @Override
            public void notice(String message) {
                // routine progress: dropped
            }
        };
    }
}

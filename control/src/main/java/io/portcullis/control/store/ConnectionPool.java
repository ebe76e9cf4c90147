package io.portcullis.control.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A deliberately small JDBC connection pool, written by hand because the store needs only this: at most
 * {@code maxSize} open connections, idle ones reused after a validity check, callers waiting up to a timeout
 * when all are busy. No statement caching, no background threads. (HikariCP would be the choice for a
 * heavier load; the store's traffic is a learner flushing batches and a few admin queries.)
 */
final class ConnectionPool implements AutoCloseable {
    private final StoreLocation location;
    private final ArrayBlockingQueue<Connection> idle;
    private final Semaphore permits;
    private final long waitMillis;
    private volatile boolean closed;

    ConnectionPool(StoreLocation location, int maxSize, long waitMillis) {
        this.location = location;
        this.idle = new ArrayBlockingQueue<>(maxSize);
        this.permits = new Semaphore(maxSize, true);
        this.waitMillis = waitMillis;
    }

    Connection borrow() throws SQLException {
        if (closed) {
            throw new SQLException("store " + location + " is closed");
        }
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLException("store " + location + ": no connection free after " + waitMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a store connection");
        }
        try {
            Connection c;
            while ((c = idle.poll()) != null) {
                if (c.isValid(2)) {
                    return c;
                }
                closeQuietly(c);
            }
            return open();
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    void release(Connection c, boolean broken) {
        try {
            if (broken || closed || c.isClosed() || !c.getAutoCommit() && !resetQuietly(c) || !idle.offer(c)) {
                closeQuietly(c);
            }
        } catch (SQLException e) {
            closeQuietly(c);
        } finally {
            permits.release();
        }
    }

    private static boolean resetQuietly(Connection c) {
        try {
            c.rollback();
            c.setAutoCommit(true);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection open() throws SQLException {
        Properties props = new Properties();
        if (location.user() != null) {
            props.setProperty("user", location.user());
        }
        if (location.password() != null) {
            props.setProperty("password", location.password());
        }
        try {
            return DriverManager.getConnection(location.jdbcUrl(), props);
        } catch (SQLException e) {
            // the driver's message may echo the URL; ours never carries the password
            throw new SQLException("cannot connect to store " + location + ": " + firstLine(e.getMessage()), e.getSQLState());
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to do: the connection is being discarded
        }
    }

    @Override
    public void close() {
        closed = true;
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }
}

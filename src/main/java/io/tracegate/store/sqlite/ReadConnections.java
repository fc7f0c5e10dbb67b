package io.tracegate.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;

/**
 * A small pool of read-only connections. In WAL mode each reader sees the last committed snapshot and
 * neither waits for nor blocks the writer connection, so queries from the HTTP API or the CLI stay fast
 * while the batching writer commits. Connections are opened on demand; at most {@code maxIdle} are kept.
 */
final class ReadConnections implements AutoCloseable {

  private final String url;
  private final SQLiteConfig config;
  private final int maxIdle;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();
  private volatile boolean closed;

  ReadConnections(String url, int busyTimeoutMillis, int maxIdle) {
    this.url = url;
    this.maxIdle = maxIdle;
    this.config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(busyTimeoutMillis);
  }

  Connection borrow() throws SQLException {
    if (closed) {
      throw new SQLException("store is closed");
    }
    Connection c = idle.pollFirst();
    if (c != null) {
      idleCount.decrementAndGet();
      return c;
    }
    return config.createConnection(url);
  }

  void release(Connection c) {
    if (!closed && idleCount.incrementAndGet() <= maxIdle) {
      idle.offerFirst(c);
      if (closed) {
        drain();
      }
      return;
    }
    if (!closed) {
      idleCount.decrementAndGet();
    }
    closeQuietly(c);
  }

  @Override
  public void close() {
    closed = true;
    drain();
  }

  private void drain() {
    for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
      closeQuietly(c);
    }
  }

  static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Closing a connection we are done with: nothing useful to do on failure.
    }
  }
}

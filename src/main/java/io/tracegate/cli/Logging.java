package io.tracegate.cli;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One-line log format on stderr: {@code 2026-11-22T05:00:00Z INFO  Gateway  message}. */
final class Logging {
  /** HikariCP (the PostgreSQL store's pool) says "Starting..." / "Shutdown completed" at INFO: only its warnings. */
  private static final Logger HIKARI = Logger.getLogger("com.zaxxer.hikari");

  private Logging() {}

  static void configure() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new Formatter() {
      @Override
      public String format(LogRecord r) {
        String name = r.getLoggerName() == null ? "" : r.getLoggerName();
        String shortName = name.substring(name.lastIndexOf('.') + 1);
        StringBuilder sb = new StringBuilder()
            .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
            .append(String.format("%-7s", r.getLevel().getName())).append(' ')
            .append(shortName).append("  ").append(formatMessage(r)).append('\n');
        if (r.getThrown() != null) {
          sb.append("    ").append(r.getThrown()).append('\n');
        }
        return sb.toString();
      }
    });
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
    HIKARI.setLevel(Level.WARNING);
  }
}

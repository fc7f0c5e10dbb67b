package io.tracegate.store;

import java.lang.System.Logger.Level;
import java.util.function.LongSupplier;

/**
 * Logs a recurring failure at most once per interval and says how many were suppressed in between, so a
 * full disk produces one warning every few seconds instead of thousands per second.
 */
public final class ThrottledLog {

  private final System.Logger logger;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private boolean loggedOnce;
  private long lastLogNanos;
  private long suppressed;

  public ThrottledLog(System.Logger logger, long intervalNanos, LongSupplier nanoClock) {
    this.logger = logger;
    this.intervalNanos = intervalNanos;
    this.nanoClock = nanoClock;
  }

  /** @return true when the message was logged, false when it was suppressed */
  public synchronized boolean warn(String message, Throwable error) {
    long now = nanoClock.getAsLong();
    if (loggedOnce && now - lastLogNanos < intervalNanos) {
      suppressed++;
      return false;
    }
    String text = suppressed == 0 ? message : message + " (" + suppressed + " similar suppressed since the last)";
    loggedOnce = true;
    lastLogNanos = now;
    suppressed = 0;
    logger.log(Level.WARNING, text, error);
    return true;
  }

  synchronized long suppressed() {
    return suppressed;
  }
}

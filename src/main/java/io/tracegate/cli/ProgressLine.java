package io.tracegate.cli;

/** A one-line progress bar on stderr, drawn at most every 100 ms and only when stderr is a terminal. */
final class ProgressLine {
  private static final int WIDTH = 40;
  private final boolean enabled;
  private final String unit;
  private long lastDrawNanos;

  ProgressLine(boolean enabled, String unit) {
    this.enabled = enabled;
    this.unit = unit;
  }

  void draw(long done, long total) {
    long now = System.nanoTime();
    if (!enabled || (now - lastDrawNanos < 100_000_000L && done < total)) {
      return;
    }
    lastDrawNanos = now;
    int filled = total <= 0 ? WIDTH : (int) (WIDTH * Math.min(done, total) / Math.max(1, total));
    System.err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " " + unit);
  }

  void done() {
    if (enabled) {
      System.err.println();
    }
  }
}

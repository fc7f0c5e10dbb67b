package io.tracegate.store.jdbc;

/** Small JDBC helpers shared by the SQL stores. */
public final class Jdbc {

  private Jdbc() {}

  /** Closes a statement or connection we are done with: nothing useful to do when that fails. */
  public static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // nothing to do
    }
  }
}

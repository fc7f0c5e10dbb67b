package io.tracegate.store;

/** A span store operation failed (I/O, SQL, corrupt data). */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}

package io.tracegate.store;

/**
 * The store cannot be reached right now (database down, restarting, network), as opposed to refusing the data:
 * the same write may succeed later, so the span writer keeps the batch and retries it with backoff.
 */
public class StoreUnavailableException extends StoreException {
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.tracegate.upstream.routing;

/**
 * A request the pause gate did not let through: refused at once ({@link Reason#REJECTED}), or held until
 * {@code pause.hold_timeout} ran out ({@link Reason#HOLD_EXPIRED}). The error mapper turns it into the client's
 * protocol shape with a {@code retry-after} header.
 */
public final class PausedException extends RuntimeException {
  public enum Reason { REJECTED, HOLD_EXPIRED }

  private final Reason reason;
  private final long retryAfterSeconds;

  PausedException(Reason reason, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Reason reason() {
    return reason;
  }

  /** What the {@code retry-after} header says (whole seconds, at least 1). */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

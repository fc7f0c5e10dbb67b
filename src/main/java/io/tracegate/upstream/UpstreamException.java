package io.tracegate.upstream;

/** No usable response could be had from a backend. {@link Reason} decides the client-facing status. */
public final class UpstreamException extends RuntimeException {

  public enum Reason {
    /** The backend's api_key variable is unset: 503, message names the variable. */
    MISSING_CREDENTIAL,
    /** Connection refused, DNS failure, reset before the response: 502. */
    UNREACHABLE,
    /** No response (or no data) within the configured timeout: 504. */
    TIMEOUT,
    /** The backend answered something that is not its protocol (e.g. a 200 whose body is not JSON): 502. */
    INVALID_RESPONSE,
    /** Every connection allowed to the backend ({@code max_connections}) stayed in use too long: 503. */
    NO_CONNECTION,
    /** An answer the gateway must hold whole is over the backend's {@code max_buffered_response}: 502. */
    TOO_LARGE,
    /** The gateway abandoned the call itself (the client left, shutdown): never shown to a client. */
    CANCELLED
  }

  private final Reason reason;

  public UpstreamException(Reason reason, String message, Throwable cause) {
    super(message, cause, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Classifies a transport failure from the HTTP client. */
  public static UpstreamException fromTransport(String backend, Throwable t) {
    if (t instanceof UpstreamException u) {
      return u;
    }
    String type = t.getClass().getSimpleName();
    String detail = t.getMessage() == null ? type : t.getMessage();
    if (type.contains("Timeout") || detail.toLowerCase().contains("timeout")) {
      return new UpstreamException(Reason.TIMEOUT, "upstream " + backend + " timed out: " + detail, t);
    }
    return new UpstreamException(Reason.UNREACHABLE, "upstream " + backend + " unreachable: " + detail, t);
  }
}

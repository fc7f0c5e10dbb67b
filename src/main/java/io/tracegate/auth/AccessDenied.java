package io.tracegate.auth;

/**
 * A request refused by access control. The reason decides the status (server/ErrorMapper renders it in the
 * client's protocol): 403 for a browser origin, a foreign {@code Host}, a model the key may not use or a spent
 * budget; 415 for a body that is not JSON; 401 for a missing or unknown key; 429 (with {@code retry-after})
 * for a rate limit.
 */
public final class AccessDenied extends RuntimeException {

  /** Why a request was refused. */
  public enum Reason {
    ORIGIN_NOT_ALLOWED(403, "origin_not_allowed"),
    HOST_NOT_ALLOWED(403, "host_not_allowed"),
    NOT_JSON(415, "unsupported_media_type"),
    MISSING_KEY(401, "missing_api_key"),
    INVALID_KEY(401, "invalid_api_key"),
    MODEL_NOT_ALLOWED(403, "model_not_allowed"),
    RATE_LIMITED(429, "rate_limit_exceeded"),
    BUDGET_EXCEEDED(403, "budget_exceeded");

    private final int status;
    private final String code;

    Reason(int status, String code) {
      this.status = status;
      this.code = code;
    }

    public int status() {
      return status;
    }

    /** The OpenAI-style error code. */
    public String code() {
      return code;
    }
  }

  private final Reason reason;
  private final Long retryAfterSeconds;

  public AccessDenied(Reason reason, String message) {
    this(reason, message, null);
  }

  public AccessDenied(Reason reason, String message, Long retryAfterSeconds) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Reason reason() {
    return reason;
  }

  /** Seconds a client should wait before trying again (rate limits), else null. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}

package io.tracegate.server;

/** A request the gateway itself refuses (bad input, unknown model...). {@link ErrorMapper} renders it. */
public final class GatewayException extends RuntimeException {

  /** Client-facing failure classes with their HTTP status and OpenAI error type/code. */
  public enum Kind {
    MALFORMED_JSON(400, "invalid_request_error", "invalid_json"),
    INVALID_REQUEST(400, "invalid_request_error", "invalid_request"),
    MODEL_NOT_FOUND(404, "invalid_request_error", "model_not_found"),
    NOT_FOUND(404, "not_found_error", "not_found"),
    CONFLICT(409, "invalid_request_error", "conflict"),
    PAYLOAD_TOO_LARGE(413, "invalid_request_error", "request_too_large"),
    REQUEST_TIMEOUT(408, "invalid_request_error", "request_timeout"),
    SERVICE_UNAVAILABLE(503, "server_error", "unavailable"),
    UNSUPPORTED_ROUTE(501, "server_error", "unsupported_backend_protocol"),
    INTERNAL(500, "server_error", "internal_error");

    final int status;
    final String type;
    final String code;

    Kind(int status, String type, String code) {
      this.status = status;
      this.type = type;
      this.code = code;
    }
  }

  private final Kind kind;

  public GatewayException(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}

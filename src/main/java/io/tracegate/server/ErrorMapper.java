package io.tracegate.server;

import io.tracegate.auth.AccessDenied;
import io.tracegate.upstream.UpstreamException;
import io.tracegate.upstream.routing.PausedException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;

/**
 * The one place that turns a failure into an HTTP status and an error body in the shape of the protocol the
 * client speaks: OpenAI {@code {"error":{"message","type","code","param"}}} or Anthropic
 * {@code {"type":"error","error":{"type","message"}}}.
 */
public final class ErrorMapper {
  private ErrorMapper() {}

  /**
   * A failure classified for the client. {@code type}/{@code code} follow OpenAI's vocabulary.
   *
   * @param retryAfterSeconds the {@code retry-after} header to send, or null for none
   */
  public record MappedError(int status, String type, String code, String message, Long retryAfterSeconds) {
    public MappedError(int status, String type, String code, String message) {
      this(status, type, code, message, null);
    }
  }

  public static MappedError map(Throwable t) {
    if (t instanceof GatewayException g) {
      return new MappedError(g.kind().status, g.kind().type, g.kind().code, g.getMessage());
    }
    if (t instanceof UpstreamException u) {
      return switch (u.reason()) {
        case MISSING_CREDENTIAL -> new MappedError(503, "server_error", "missing_backend_credential", u.getMessage());
        case UNREACHABLE -> new MappedError(502, "upstream_error", "upstream_unreachable", u.getMessage());
        case TIMEOUT -> new MappedError(504, "timeout_error", "upstream_timeout", u.getMessage());
        case INVALID_RESPONSE -> new MappedError(502, "upstream_error", "upstream_invalid_response", u.getMessage());
        case TOO_LARGE -> new MappedError(502, "upstream_error", "upstream_response_too_large", u.getMessage());
        case NO_CONNECTION -> new MappedError(503, "server_error", "upstream_connection_limit", u.getMessage());
        case CANCELLED -> new MappedError(ProxyCall.CLIENT_CLOSED_STATUS, "server_error", "cancelled", u.getMessage());
      };
    }
    if (t instanceof AccessDenied a) {
      int status = a.reason().status();
      String type = switch (status) {
        case 401 -> "authentication_error";
        case 403 -> "permission_error";
        case 429 -> "rate_limit_error";
        default -> "invalid_request_error";
      };
      return new MappedError(status, type, a.reason().code(), a.getMessage(), a.retryAfterSeconds());
    }
    if (t instanceof PausedException p) {
      return switch (p.reason()) {
        case REJECTED -> new MappedError(429, "rate_limit_error", "gateway_paused", p.getMessage(),
            p.retryAfterSeconds());
        case HOLD_EXPIRED -> new MappedError(503, "server_error", "pause_hold_timeout", p.getMessage(),
            p.retryAfterSeconds());
      };
    }
    if (t instanceof HttpException h) {
      return fromStatus(h.getStatusCode(), h.getPayload());
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new MappedError(500, "server_error", "internal_error", "internal error: " + message);
  }

  public static MappedError fromStatus(int status, String message) {
    return switch (status) {
      case 400 -> new MappedError(400, "invalid_request_error", "invalid_request", orDefault(message, "bad request"));
      case 404 -> new MappedError(404, "not_found_error", "not_found", orDefault(message, "not found"));
      case 405 -> new MappedError(405, "invalid_request_error", "method_not_allowed",
          orDefault(message, "method not allowed"));
      case 413 -> new MappedError(413, "invalid_request_error", "request_too_large",
          orDefault(message, "request body exceeds the configured limit (server.max_body_size)"));
      default -> new MappedError(status, status >= 500 ? "server_error" : "invalid_request_error",
          "http_" + status, orDefault(message, "HTTP " + status));
    };
  }

  public static Buffer openAiBody(MappedError e) {
    JsonObject error = new JsonObject()
        .put("message", e.message())
        .put("type", e.type())
        .put("param", null)
        .put("code", e.code());
    return new JsonObject().put("error", error).toBuffer();
  }

  public static Buffer anthropicBody(MappedError e) {
    return new JsonObject()
        .put("type", "error")
        .put("error", new JsonObject().put("type", anthropicType(e.status())).put("message", e.message()))
        .toBuffer();
  }

  /**
   * An upstream error body re-shaped for a client of the other protocol: the upstream's message is kept
   * (OpenAI {@code error.message} or Anthropic {@code error.message}), the status decides the type.
   */
  public static Buffer translatedUpstreamError(int status, byte[] upstreamBody, boolean toAnthropic) {
    String message = upstreamMessage(upstreamBody);
    MappedError e = fromStatus(status, "upstream error (HTTP " + status + "): " + message);
    return toAnthropic ? anthropicBody(e) : openAiBody(e);
  }

  private static String upstreamMessage(byte[] body) {
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    try {
      JsonObject json = new JsonObject(text);
      Object error = json.getValue("error");
      if (error instanceof JsonObject o && o.getString("message") != null) {
        return o.getString("message");
      }
      if (error instanceof String str) {
        return str;
      }
    } catch (RuntimeException notJson) {
      // fall through: use the raw text
    }
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  /** Anthropic's error type for a status (see their errors page). */
  static String anthropicType(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }

  private static String orDefault(String message, String fallback) {
    return message == null || message.isBlank() ? fallback : message;
  }
}

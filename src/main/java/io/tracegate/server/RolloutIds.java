package io.tracegate.server;

import java.nio.charset.StandardCharsets;

/**
 * The one rule for rollout and attempt ids, wherever they arrive (URL prefix, header, API body or path, query
 * filter, CLI option): an id is taken verbatim, never trimmed or otherwise changed, and is refused when it is
 * empty, begins or ends with whitespace (HTTP strips that from header values, so such an id could not mean the
 * same thing everywhere), is {@code .} or {@code ..} (URL dot segments, removed before routing), or holds a
 * lone UTF-16 surrogate (possible through a JSON string escape; it has no UTF-8 form). In URLs
 * every path segment is percent-encoded as UTF-8 ({@link #pathSegment}); the router decodes it again.
 */
public final class RolloutIds {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RolloutIds() {}

  /** Why {@code id} is not a valid id, or null when it is. */
  public static String problem(String id) {
    if (id.isEmpty()) {
      return "must not be empty";
    }
    if (id.isBlank()) {
      return "must not be blank";
    }
    if (!id.strip().equals(id)) {
      return "must not begin or end with whitespace";
    }
    if (id.equals(".") || id.equals("..")) {
      return "must not be '.' or '..'";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean paired = Character.isHighSurrogate(c) ? i + 1 < id.length() && Character.isLowSurrogate(id.charAt(++i))
          : !Character.isLowSurrogate(c);
      if (!paired) {
        return "must not hold a lone surrogate (half of a UTF-16 pair; it has no UTF-8 form)";
      }
    }
    return null;
  }

  /** {@code id} unchanged, or a 400 that names {@code field} and says what is wrong with it. */
  static String require(String field, String id) {
    String problem = problem(id);
    if (problem != null) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST,
          "'" + field + "' " + problem + " (got \"" + id + "\")");
    }
    return id;
  }

  /** {@link #require} for an optional value: null stays null. */
  static String requireIfPresent(String field, String id) {
    return id == null ? null : require(field, id);
  }

  /**
   * {@code id} as one URL path segment: every byte of its UTF-8 form except RFC 3986 unreserved characters
   * ({@code A-Z a-z 0-9 - . _ ~}) percent-encoded, so {@code /}, {@code %}, {@code ?}, {@code #} and spaces
   * stay inside the segment.
   */
  public static String pathSegment(String id) {
    StringBuilder out = new StringBuilder(id.length() + 16);
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}

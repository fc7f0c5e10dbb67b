package io.tracegate.server;

import java.nio.charset.StandardCharsets;

/**
 * Rollout and attempt ids in URLs: every path segment is percent-encoded as UTF-8 ({@link #pathSegment}); the
 * router decodes it again.
 */
public final class RolloutIds {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RolloutIds() {}

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

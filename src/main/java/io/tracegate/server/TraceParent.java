package io.tracegate.server;

/**
 * W3C {@code traceparent} of the incoming request, so a call joins the caller's trace:
 * {@code 00-<32 hex trace id>-<16 hex parent id>-<flags>}. Invalid headers are ignored.
 */
record TraceParent(String traceId, String parentId) {
  static final TraceParent NONE = new TraceParent(null, null);

  static TraceParent parse(String header) {
    if (header == null || header.length() != 55) {
      return NONE;
    }
    String[] parts = header.split("-");
    if (parts.length != 4 || parts[1].length() != 32 || parts[2].length() != 16 || !isHex(parts[1])
        || !isHex(parts[2]) || parts[1].chars().allMatch(c -> c == '0')) {
      return NONE;
    }
    return new TraceParent(parts[1], parts[2]);
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}

package io.tracegate.config;

/**
 * Model-name globs: {@code *} matches any run of characters (also none), {@code ?} exactly one; everything
 * else matches itself, case-sensitively. Used for frontend model names and for pricing keys.
 */
public final class Glob {
  private Glob() {}

  /** True when {@code pattern} contains {@code *} or {@code ?}. */
  public static boolean isGlob(String pattern) {
    return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
  }

  /** Whether {@code text} matches the whole {@code pattern}. No regex; at worst O(pattern x text). */
  public static boolean matches(String pattern, String text) {
    int p = 0;
    int t = 0;
    int star = -1;
    int starText = 0;
    while (t < text.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
        p++;
        t++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        starText = t;
      } else if (star >= 0) {
        p = star + 1;
        t = ++starText;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}

package io.tracegate.dataset;

/**
 * Policy version numbers, which {@code --min-version} and {@code --max-staleness} compare: the integer a
 * {@code model_version} ends with ({@code 7}, {@code step-7}, {@code v7}, {@code global_step_7} are all 7). A
 * version without trailing digits (or null) has no number, and a version filter leaves its samples out.
 */
public final class PolicyVersions {
  private PolicyVersions() {}

  /** The trailing integer of the version, or null. */
  public static Long number(String version) {
    if (version == null) {
      return null;
    }
    String v = version.trim();
    int end = v.length();
    int start = end;
    while (start > 0 && Character.isDigit(v.charAt(start - 1))) {
      start--;
    }
    if (start == end || end - start > 18) {
      return null;
    }
    return Long.parseLong(v.substring(start, end));
  }
}

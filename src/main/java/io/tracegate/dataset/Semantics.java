package io.tracegate.dataset;

import java.util.Locale;

/** Which extraction rules turn spans into triplets (docs/dataset.md, "Semantics"). */
public enum Semantics {
  /** Agent Lightning v0.x's {@code LlmProxyTraceToTriplet}, plus tracegate's reward modes and branch merge. */
  TRACEGATE,
  /**
   * Agent Lightning 1.0's extraction: latest attempt only; calls with identical prompt ids deduplicated keeping
   * the last; the final reward (last reward span) on every row, 0.0 when there is none; merge joins consecutive
   * calls only.
   */
  AGL_V1;

  /** {@code tracegate} (also null or blank) or {@code agl-v1}, case-insensitive. */
  public static Semantics parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return TRACEGATE;
    }
    return switch (spec.trim().toLowerCase(Locale.ROOT)) {
      case "tracegate", "default" -> TRACEGATE;
      case "agl-v1" -> AGL_V1;
      default -> throw new IllegalArgumentException("invalid semantics '" + spec + "': use tracegate or agl-v1");
    };
  }
}

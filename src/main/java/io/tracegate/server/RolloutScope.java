package io.tracegate.server;

import io.vertx.ext.web.RoutingContext;

/**
 * Which rollout and attempt a request belongs to: from the URL prefix
 * {@code /rollout/{rollout_id}/attempt/{attempt_id}} or, failing that, the headers {@code x-rollout-id} /
 * {@code x-attempt-id}. Both may be null (an untracked call).
 */
public record RolloutScope(String rolloutId, String attemptId) {
  public static final String ROLLOUT_HEADER = "x-rollout-id";
  public static final String ATTEMPT_HEADER = "x-attempt-id";
  static final String ROLLOUT_PARAM = "rollout_id";
  static final String ATTEMPT_PARAM = "attempt_id";

  public static RolloutScope of(RoutingContext ctx) {
    String rollout = blankToNull(ctx.pathParam(ROLLOUT_PARAM));
    String attempt = blankToNull(ctx.pathParam(ATTEMPT_PARAM));
    if (rollout == null) {
      rollout = blankToNull(ctx.request().getHeader(ROLLOUT_HEADER));
    }
    if (attempt == null) {
      attempt = blankToNull(ctx.request().getHeader(ATTEMPT_HEADER));
    }
    return new RolloutScope(rollout, attempt);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}

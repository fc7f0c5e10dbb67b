package io.tracegate.server;

import io.vertx.ext.web.RoutingContext;

/**
 * Which rollout and attempt a request belongs to: from the URL prefix
 * {@code /rollout/{rollout_id}/attempt/{attempt_id}} (segments percent-decoded by the router) or, failing that,
 * the headers {@code x-rollout-id} / {@code x-attempt-id}. Both may be null (an untracked call). Ids are taken
 * verbatim; one that breaks {@link RolloutIds}' rule is refused with a 400, never trimmed or ignored.
 */
public record RolloutScope(String rolloutId, String attemptId) {
  public static final String ROLLOUT_HEADER = "x-rollout-id";
  public static final String ATTEMPT_HEADER = "x-attempt-id";
  static final String ROLLOUT_PARAM = "rollout_id";
  static final String ATTEMPT_PARAM = "attempt_id";
  static final RolloutScope NONE = new RolloutScope(null, null);

  /**
   * The request's scope.
   *
   * @throws GatewayException (400) when a given id breaks the rule
   */
  public static RolloutScope of(RoutingContext ctx) {
    String rollout = ctx.pathParam(ROLLOUT_PARAM);
    String attempt = ctx.pathParam(ATTEMPT_PARAM);
    if (rollout == null) {
      rollout = RolloutIds.requireIfPresent(ROLLOUT_HEADER, ctx.request().getHeader(ROLLOUT_HEADER));
      attempt = RolloutIds.requireIfPresent(ATTEMPT_HEADER, ctx.request().getHeader(ATTEMPT_HEADER));
      return new RolloutScope(rollout, attempt);
    }
    return new RolloutScope(RolloutIds.require(ROLLOUT_PARAM, rollout), RolloutIds.require(ATTEMPT_PARAM, attempt));
  }
}

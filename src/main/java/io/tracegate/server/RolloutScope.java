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
      return new RolloutScope(header(ctx, ROLLOUT_HEADER), header(ctx, ATTEMPT_HEADER));
    }
    return new RolloutScope(RolloutIds.require(ROLLOUT_PARAM, rollout), RolloutIds.require(ATTEMPT_PARAM, attempt));
  }

  /**
   * An id header. Its value must be ASCII: HTTP leaves the charset of other bytes open (a client may send
   * Latin-1 or UTF-8), so such an id could be recorded under a garbled name; the URL prefix, percent-encoded
   * UTF-8, carries any id.
   */
  private static String header(RoutingContext ctx, String name) {
    String value = RolloutIds.requireIfPresent(name, ctx.request().getHeader(name));
    if (value != null && !value.chars().allMatch(c -> c < 0x80)) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST, "'" + name + "' must be ASCII (HTTP "
          + "header values have no agreed charset); put an id with other characters in the URL prefix "
          + "/rollout/{rollout_id}/attempt/{attempt_id}, percent-encoded as UTF-8");
    }
    return value;
  }
}

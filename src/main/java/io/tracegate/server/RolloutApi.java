package io.tracegate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.dataset.RewardSpans;
import io.tracegate.store.SpanStore;
import io.tracegate.trace.EpochClock;
import io.tracegate.trace.Span;
import io.tracegate.trace.SpanIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * Rollouts, attempts and rewards: {@code POST /api/rollouts}, {@code POST /api/rollouts/{id}/attempts},
 * {@code POST /api/rollouts/{id}/rewards}. Store calls run on worker threads; a reward takes the rollout's
 * next sequence id (the same allocator as LLM calls) and the response is sent once it is persisted.
 *
 * <p>Before reading what the store knows about a rollout (does it exist, its attempts, the target call), each
 * handler waits, without blocking its event loop, until the batching writer has persisted every span accepted
 * so far. A call's span is accepted before its client gets the last byte, so a reward or attempt posted right
 * after a call sees that call: the reward gets its attempt, the new attempt comes after it.
 */
final class RolloutApi {
  static final String FIRST_ATTEMPT = "1";
  /** Serialises attempt registration (read the attempts, pick the next number, insert) in this process. */
  private static final Object ATTEMPT_LOCK = new Object();
  private final GatewayServices services;

  RolloutApi(GatewayServices services) {
    this.services = services;
  }

  private SpanStore store() {
    return services.store();
  }

  // a GatewayException thrown by a handler reaches the router's failure handler, which maps it (400 etc.);
  // answers, and failures in callbacks, go through ApiReplies

  void create(RoutingContext ctx) {
    JsonNode body = optionalBody(ctx);
    String requested = id(body, "rollout_id");
    String rolloutId = requested != null ? requested : "ro-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
      ctx.fail(new GatewayException(GatewayException.Kind.INVALID_REQUEST, "'metadata' must be a JSON object"));
      return;
    }
    JsonNode registered;
    try {
      registered = withGroupId(metadata == null || metadata.isNull() ? null : metadata, body.get("group_id"));
    } catch (GatewayException e) {
      ctx.fail(e);
      return;
    }
    String givenAttempt = id(body, "attempt_id");
    String attemptId = givenAttempt != null ? givenAttempt : FIRST_ATTEMPT;
    long now = EpochClock.nowUnixNano();
    Future<Buffer> answer = afterPendingSpans(ctx).compose(v -> ctx.vertx().executeBlocking(() -> {
      if (!store().createRollout(rolloutId, registered, now)) {
        throw new GatewayException(GatewayException.Kind.CONFLICT, "rollout '" + rolloutId + "' already exists");
      }
      store().addAttempt(rolloutId, attemptId, now);
      return null;
    }, false)).map(v -> created(ctx, rolloutId, attemptId));
    ApiReplies.json(ctx, 201, answer);
  }

  /**
   * The metadata with the body's top-level {@code group_id} (a string, for GRPO-style grouping) as its
   * {@code group_id} key; a metadata {@code group_id} that differs is a 400.
   */
  private static JsonNode withGroupId(JsonNode metadata, JsonNode groupId) {
    if (groupId == null || groupId.isNull()) {
      return metadata;
    }
    if (!groupId.isTextual() || groupId.asText().isBlank() || groupId.asText().length() > RolloutTags.MAX_VALUE_CHARS) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST,
          "'group_id' must be a non-empty string of at most " + RolloutTags.MAX_VALUE_CHARS + " characters");
    }
    JsonNode existing = metadata == null ? null : metadata.get("group_id");
    if (existing != null && !existing.isNull() && !existing.asText().equals(groupId.asText())) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST,
          "'group_id' and 'metadata.group_id' differ; give one of them");
    }
    com.fasterxml.jackson.databind.node.ObjectNode merged = metadata == null
        ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        : ((com.fasterxml.jackson.databind.node.ObjectNode) metadata).deepCopy();
    merged.put("group_id", groupId.asText());
    return merged;
  }

  void newAttempt(RoutingContext ctx) {
    String rolloutId = RolloutIds.require("rollout_id", ctx.pathParam("rollout_id"));
    String requested = id(optionalBody(ctx), "attempt_id");
    long now = EpochClock.nowUnixNano();
    Future<Buffer> answer = afterPendingSpans(ctx).compose(v -> ctx.vertx().executeBlocking(
        () -> addAttempt(rolloutId, requested, now), false)).map(attemptId -> created(ctx, rolloutId, attemptId));
    ApiReplies.json(ctx, 201, answer);
  }

  /**
   * Registers the next (or the requested) attempt. BLOCKS on the store. One at a time in this process, so two
   * concurrent requests cannot both take the same next number.
   */
  private String addAttempt(String rolloutId, String requested, long now) {
    synchronized (ATTEMPT_LOCK) {
      List<String> attempts = store().attempts(rolloutId);
      if (attempts.isEmpty() && store().rollout(rolloutId).isEmpty()) {
        throw new GatewayException(GatewayException.Kind.NOT_FOUND, "no rollout with id '" + rolloutId + "'");
      }
      String attemptId = requested;
      if (attemptId == null) {
        int n = attempts.size() + 1;
        while (attempts.contains(String.valueOf(n))) {
          n++;
        }
        attemptId = String.valueOf(n);
      } else if (attempts.contains(attemptId)) {
        throw new GatewayException(GatewayException.Kind.CONFLICT,
            "attempt '" + attemptId + "' of rollout '" + rolloutId + "' already exists");
      }
      store().addAttempt(rolloutId, attemptId, now);
      return attemptId;
    }
  }

  void reward(RoutingContext ctx) {
    String rolloutId = RolloutIds.require("rollout_id", ctx.pathParam("rollout_id"));
    JsonNode body = optionalBody(ctx);
    if (!body.path("value").isNumber() || !Double.isFinite(body.path("value").asDouble())) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST,
          "'value' must be a finite number, got " + (body.has("value") ? body.get("value") : "nothing"));
    }
    double value = body.path("value").asDouble();
    String name = text(body, "name") == null ? RewardSpans.DEFAULT_NAME : text(body, "name");
    String targetSpanId = text(body, "span_id");
    String attemptGiven = id(body, "attempt_id");
    Future<Buffer> answer = afterPendingSpans(ctx).compose(v -> ctx.vertx().executeBlocking(() -> {
      if (targetSpanId == null) {
        List<String> attempts = store().attempts(rolloutId);
        return new RewardPlace(attemptGiven != null ? attemptGiven
            : attempts.isEmpty() ? null : attempts.get(attempts.size() - 1), SpanIds.newTraceId(), null);
      }
      Span target = store().find(targetSpanId).orElseThrow(() -> new GatewayException(
          GatewayException.Kind.INVALID_REQUEST, "'span_id' " + targetSpanId + " is not a recorded span"));
      if (!rolloutId.equals(target.rolloutId()) || !Span.KIND_LLM.equals(target.kind())) {
        throw new GatewayException(GatewayException.Kind.INVALID_REQUEST,
            "'span_id' " + targetSpanId + " is not an LLM call of rollout '" + rolloutId + "'");
      }
      // in the rewarded call's trace, under that call
      return new RewardPlace(attemptGiven != null ? attemptGiven : target.attemptId(),
          target.traceId() != null ? target.traceId() : SpanIds.newTraceId(),
          target.traceId() != null ? target.spanId() : null);
    }, false)).compose(place -> services.sequences().next(rolloutId, ctx.vertx().getOrCreateContext())
        .compose(seq -> {
          Span reward = RewardSpans.reward(rolloutId, place.attemptId(), seq, name, value, targetSpanId,
              EpochClock.nowUnixNano(), place.traceId(), place.parentId());
          boolean submitted = services.writer().submit(() -> reward);
          services.sequences().release(rolloutId);
          if (!submitted) {
            return Future.failedFuture(new GatewayException(GatewayException.Kind.SERVICE_UNAVAILABLE,
                "the span writer is full or shutting down; reward not recorded"));
          }
          return afterPendingSpans(ctx).map(v -> reward);
        }))
        .map(reward -> {
          ObjectNode out = ApiJson.MAPPER.createObjectNode()
              .put("rollout_id", rolloutId).put("attempt_id", reward.attemptId())
              .put("span_id", reward.spanId()).put("sequence_id", reward.sequenceId())
              .put("name", name).put("value", value);
          if (targetSpanId != null) {
            out.put("target_span_id", targetSpanId);
          }
          return ApiJson.encode(out);
        });
    ApiReplies.json(ctx, 201, answer);
  }

  /**
   * Completes on the handler's context once every span the writer accepted before this call is persisted (or
   * counted as failed): the spans of calls that already answered their clients are then in the store.
   */
  private Future<Void> afterPendingSpans(RoutingContext ctx) {
    return Future.fromCompletionStage(services.writer().flush(), ctx.vertx().getOrCreateContext());
  }

  private Buffer created(RoutingContext ctx, String rolloutId, String attemptId) {
    String base = baseUrl(ctx) + "/rollout/" + RolloutIds.pathSegment(rolloutId) + "/attempt/"
        + RolloutIds.pathSegment(attemptId);
    ObjectNode out = ApiJson.MAPPER.createObjectNode()
        .put("rollout_id", rolloutId)
        .put("attempt_id", attemptId)
        .put("openai_base_url", base + "/v1")
        .put("anthropic_base_url", base);
    return ApiJson.encode(out);
  }

  /** The gateway as the caller reached it (Host header), so returned URLs work from the caller's side. */
  private String baseUrl(RoutingContext ctx) {
    String host = ctx.request().getHeader(HttpHeaders.HOST);
    if (host == null || host.isBlank()) {
      host = services.config().server().host() + ":" + ctx.request().localAddress().port();
    }
    return "http://" + host;
  }

  static JsonNode optionalBody(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      return ApiJson.MAPPER.createObjectNode();
    }
    try {
      JsonNode node = ApiJson.MAPPER.readTree(ctx.body().buffer().getBytes());
      if (node == null || !node.isObject()) {
        throw new GatewayException(GatewayException.Kind.INVALID_REQUEST, "the body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new GatewayException(GatewayException.Kind.MALFORMED_JSON, "request body is not valid JSON: "
          + e.getMessage());
    }
  }

  /** A rollout or attempt id field: verbatim, under {@link RolloutIds}' rule; null when absent. */
  private static String id(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v != null && !v.isNull() && !v.isTextual()) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST, "'" + field + "' must be a string");
    }
    return v == null || v.isNull() ? null : RolloutIds.require(field, v.asText());
  }

  private static String text(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST, "'" + field + "' must be a non-empty string");
    }
    return v.asText();
  }

  /** Where a reward goes: its attempt, and the trace (and parent span) it is recorded in. */
  private record RewardPlace(String attemptId, String traceId, String parentId) {}
}

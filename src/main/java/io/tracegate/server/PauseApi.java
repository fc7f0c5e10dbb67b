package io.tracegate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.upstream.routing.PauseGate;
import io.tracegate.upstream.routing.PauseMode;
import io.tracegate.upstream.routing.PauseState;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Pause / resume for weight sync: {@code POST /api/pause}, {@code POST /api/resume}, {@code GET /api/state}
 * (docs/http-api.md). Each answers the gate's state after the change. A bad body is a 400 (thrown, so the
 * router's failure handler maps it).
 */
final class PauseApi {
  private static final System.Logger LOG = System.getLogger(PauseApi.class.getName());
  /** Longest accepted {@code model_version}. */
  static final int MAX_VERSION_LENGTH = 256;
  private final PauseGate gate;

  PauseApi(PauseGate gate) {
    this.gate = gate;
  }

  /** {@code {"mode": "hold" | "reject", "models": [...]}}, both optional. */
  void pause(RoutingContext ctx) {
    JsonNode body = RolloutApi.optionalBody(ctx);
    onlyKeys(body, Set.of("mode", "models"));
    PauseMode mode = mode(body.get("mode"));
    List<String> models = models(body.get("models"));
    PauseState s = gate.pause(mode, models);
    LOG.log(System.Logger.Level.INFO, () -> "paused (" + mode.id() + ") for "
        + (models == null ? "every model" : String.join(", ", models)));
    answer(ctx, s);
  }

  /** {@code {"model_version": "step-120"}}, optional: absent keeps the version, null clears it. */
  void resume(RoutingContext ctx) {
    JsonNode body = RolloutApi.optionalBody(ctx);
    onlyKeys(body, Set.of("model_version"));
    JsonNode v = body.get("model_version");
    if (v != null && !v.isNull() && (!v.isTextual() || v.asText().isEmpty()
        || v.asText().length() > MAX_VERSION_LENGTH)) {
      throw invalid("'model_version' must be a non-empty string of at most " + MAX_VERSION_LENGTH
          + " characters, or null");
    }
    String version = v == null || v.isNull() ? null : v.asText();
    PauseState s = gate.resume(v != null, version);
    LOG.log(System.Logger.Level.INFO, () -> "resumed, model_version " + s.modelVersion());
    answer(ctx, s);
  }

  void state(RoutingContext ctx) {
    answer(ctx, gate.state());
  }

  private void answer(RoutingContext ctx, PauseState s) {
    ObjectNode json = ApiJson.MAPPER.createObjectNode();
    json.put("paused", s.paused());
    json.put("mode", s.mode() == null ? null : s.mode().id());
    if (s.models() == null) {
      json.putNull("models");
    } else {
      ArrayNode models = json.putArray("models");
      s.models().forEach(models::add);
    }
    json.put("in_flight", gate.inFlight());
    json.put("held", gate.held());
    json.put("model_version", s.modelVersion());
    ApiReplies.json(ctx, 200, Future.succeededFuture(ApiJson.encode(json)));
  }

  private static PauseMode mode(JsonNode n) {
    if (n == null || n.isNull()) {
      return PauseMode.HOLD;
    }
    PauseMode mode = n.isTextual() ? PauseMode.of(n.asText()) : null;
    if (mode == null) {
      throw invalid("'mode' must be \"hold\" or \"reject\", got " + n);
    }
    return mode;
  }

  /** Null for every model. */
  private static List<String> models(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isArray() || n.isEmpty()) {
      throw invalid("'models' must be a non-empty array of model names (leave it out to pause every model), got "
          + n);
    }
    List<String> out = new ArrayList<>(n.size());
    for (JsonNode m : n) {
      if (!m.isTextual() || m.asText().isEmpty()) {
        throw invalid("'models' must hold non-empty strings, got " + m);
      }
      out.add(m.asText());
    }
    return out;
  }

  private static void onlyKeys(JsonNode body, Set<String> allowed) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw invalid("unknown field '" + key + "'; expected " + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(GatewayException.Kind.INVALID_REQUEST, message);
  }
}

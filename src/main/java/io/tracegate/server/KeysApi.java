package io.tracegate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.auth.ActiveKey;
import io.tracegate.store.KeyStore;
import io.tracegate.store.StoredKey;
import io.tracegate.trace.EpochClock;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code POST /api/keys}, {@code GET /api/keys}, {@code DELETE /api/keys/{id}}: virtual keys for the proxy
 * (docs/http-api.md, "Keys"). Store work runs on a worker; the live keys in memory ({@code KeyRing}) change as
 * soon as the store has, so a revoked key's next request gets 401.
 */
final class KeysApi {
  private final GatewayServices services;

  KeysApi(GatewayServices services) {
    this.services = services;
  }

  void create(RoutingContext ctx) {
    KeyStore store = keyStore();
    JsonNode body = RolloutApi.optionalBody(ctx);
    KeyRequests.Issued issued = KeyRequests.issue(body, EpochClock.nowUnixNano());
    ApiReplies.fromWorker(ctx, 201, () -> {
      store.create(issued.key());
      services.keys().added(issued.key());
      return ApiJson.encode(KeyRequests.created(issued));
    });
  }

  void list(RoutingContext ctx) {
    KeyStore store = keyStore();
    ApiReplies.fromWorker(ctx, 200, () -> {
      ObjectNode out = ApiJson.MAPPER.createObjectNode();
      ArrayNode keys = out.putArray("keys");
      Map<String, Double> stored = null;
      for (StoredKey k : store.keys()) {
        ActiveKey live = services.keys().byId(k.id());
        Double spent;
        if (live != null) {
          spent = live.spentUsd();
        } else {
          stored = stored == null ? store.spendByKey() : stored;
          spent = stored.getOrDefault(k.id(), 0d);
        }
        keys.add(KeyRequests.json(k, spent));
      }
      return ApiJson.encode(out);
    });
  }

  void revoke(RoutingContext ctx) {
    KeyStore store = keyStore();
    String id = ctx.pathParam("key_id");
    long now = EpochClock.nowUnixNano();
    ApiReplies.fromWorker(ctx, 200, () -> {
      if (!store.revoke(id, now)) {
        throw new GatewayException(GatewayException.Kind.NOT_FOUND, "no live key with id '" + id + "'");
      }
      services.keys().revoked(id);
      return ApiJson.encode(ApiJson.MAPPER.createObjectNode().put("id", id).put("revoked", true));
    });
  }

  private KeyStore keyStore() {
    KeyStore store = services.store().keys();
    if (store == null) {
      throw new GatewayException(GatewayException.Kind.UNSUPPORTED_ROUTE, services.store().describe()
          + " keeps no virtual keys");
    }
    return store;
  }
}

package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.AccessConfig;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.KeyedGateway;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual keys on a PostgreSQL store (embedded binaries): made through {@code POST /api/keys} on one gateway, they
 * and their spend (from the cost of their spans) come back to a new gateway on the same database, revocations
 * included. Pricing as in {@link KeyLimitsTest}: $0.033 a call.
 */
class PostgresKeysTest {
  private static final String ADMIN = "adm-pg-keys-5d";

  @TempDir Path dir;

  private GatewayConfig config(ScriptedUpstream upstream, StoreConfig store) throws Exception {
    Path pricing = dir.resolve("pricing.yaml");
    Files.writeString(pricing, "models:\n  priced-model: { input: 1000, output: 1000 }\n");
    GatewayConfig base = TestGateway.config(store,
        List.of(new ModelConfig("gpt-4o", List.of(TestGateway.openAi(upstream.openAiBaseUrl(), "priced-model")))));
    return new GatewayConfig(null, base.server(), base.store(), base.models(), pricing, null, null,
        AccessConfig.defaults().withAdminKey(ADMIN).withRequireKeys(true));
  }

  @Test
  void keysTheirSpendAndRevocationsOutliveTheGatewayOnPostgres() throws Exception {
    StoreConfig database = TestPostgres.newDatabase();
    String capped;
    String revoked;
    String open;
    try (ScriptedUpstream upstream = new ScriptedUpstream()) {
      try (TestGateway gw = TestGateway.start(config(upstream, database))) {
        KeyedGateway api = new KeyedGateway(gw, ADMIN);
        capped = api.createKey("{\"name\":\"capped\",\"budget_usd\":0.05}").getString("key");
        JsonObject toRevoke = api.createKey("{\"name\":\"gone\"}");
        revoked = toRevoke.getString("key");
        open = api.createKey("{\"name\":\"open\",\"models\":[\"gpt-*\"],\"rpm\":600}").getString("key");
        assertThat(api.chat("gpt-4o", capped).statusCode()).isEqualTo(200);
        gw.awaitAccepted(1);
        assertThat(api.chat("gpt-4o", capped).statusCode()).isEqualTo(200);
        gw.awaitAccepted(2);
        assertThat(api.chat("gpt-4o", capped).statusCode()).isEqualTo(403);
        assertThat(api.chat("gpt-4o", revoked).statusCode()).isEqualTo(200);
        gw.awaitAccepted(3);
        HttpResponse<String> revoke = api.send("DELETE", "/api/keys/" + toRevoke.getString("id"), null, ADMIN);
        assertThat(revoke.statusCode()).isEqualTo(200);
        assertThat(api.chat("gpt-4o", revoked).statusCode()).isEqualTo(401);
      }
      assertThat(upstream.hits()).isEqualTo(3);

      // a new gateway on the same database: keys, revocation and spend come back from PostgreSQL
      try (TestGateway gw = TestGateway.start(config(upstream, database))) {
        KeyedGateway api = new KeyedGateway(gw, ADMIN);
        HttpResponse<String> still = api.chat("gpt-4o", capped);
        assertThat(still.statusCode()).isEqualTo(403);
        assertThat(still.body()).contains("budget_exceeded");
        assertThat(api.chat("gpt-4o", revoked).statusCode()).isEqualTo(401);
        assertThat(upstream.hits()).isEqualTo(3);
        assertThat(api.chat("gpt-4o", open).statusCode()).isEqualTo(200);
        assertThat(upstream.hits()).isEqualTo(4);

        JsonArray listed = new JsonObject(api.send("GET", "/api/keys", null, ADMIN).body()).getJsonArray("keys");
        assertThat(listed.stream().map(k -> ((JsonObject) k).getString("name"))).containsExactly("capped", "gone",
            "open");
        JsonObject cappedRow = listed.getJsonObject(0);
        assertThat(cappedRow.getDouble("spent_usd")).isCloseTo(0.066, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(listed.getJsonObject(1).getValue("revoked")).isNotNull();
      }
    }
  }
}

package io.tracegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.server.ApiJson;
import io.tracegate.server.KeyRequests;
import io.tracegate.store.KeyStore;
import io.tracegate.store.SpanStore;
import io.tracegate.store.SpanStores;
import io.tracegate.store.StoreException;
import io.tracegate.store.StoredKey;
import io.tracegate.trace.EpochClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tracegate keys create|list|revoke}: virtual keys for the proxy, through a running gateway ({@code --url},
 * which takes effect at once) or on the configured store directly while no gateway runs on it.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list or revoke virtual keys (auth.require_keys).")
final class KeysCommand implements Callable<Integer> {
  enum Action { create, list, revoke }

  @Parameters(index = "0", paramLabel = "ACTION", description = "create, list or revoke.")
  Action action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "KEY_ID", description = "The key to revoke (its id, key_...).")
  String keyId;

  @Option(names = "--config", defaultValue = "conf/tracegate.yaml",
      description = "Work on the store this file configures (default: ${DEFAULT-VALUE}); with --url and no URL, on"
          + " the gateway it configures.")
  Path config;

  @Option(names = "--url", arity = "0..1", paramLabel = "URL", fallbackValue = "",
      description = "Ask a running gateway (its change takes effect at once), e.g. http://127.0.0.1:4000; sends"
          + " $TRACEGATE_ADMIN_KEY.")
  String url;

  @Option(names = "--name", description = "create: who uses the key (recorded on every span it makes).")
  String name;

  @Option(names = "--models", split = ",", paramLabel = "GLOB",
      description = "create: the only models the key may use, comma-separated globs (default: any).")
  List<String> models;

  @Option(names = "--rpm", description = "create: requests per minute (default: unlimited).")
  Long rpm;

  @Option(names = "--tpm", description = "create: tokens (input + output) per minute (default: unlimited).")
  Long tpm;

  @Option(names = "--budget-usd", paramLabel = "USD", description = "create: spend limit in USD (default: none).")
  Double budgetUsd;

  @Option(names = "--expires", paramLabel = "WHEN",
      description = "create: an ISO-8601 instant (2027-01-01T00:00:00Z) or a time from now (30d, 12h, 90m).")
  String expires;

  @Option(names = "--metadata", paramLabel = "JSON", description = "create: a JSON object kept with the key.")
  String metadata;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (action == Action.revoke && keyId == null) {
      throw new IllegalArgumentException("keys revoke needs the id of the key (see tracegate keys list)");
    }
    if (action != Action.create && (name != null || models != null || rpm != null || tpm != null
        || budgetUsd != null || expires != null || metadata != null)) {
      throw new IllegalArgumentException("--name, --models, --rpm, --tpm, --budget-usd, --expires and --metadata"
          + " are for keys create");
    }
    return url != null ? remote() : local();
  }

  private ObjectNode createBody() throws Exception {
    ObjectNode body = ApiJson.MAPPER.createObjectNode();
    body.put("name", name);
    if (models != null) {
      ArrayNode a = body.putArray("models");
      models.forEach(a::add);
    }
    if (rpm != null) {
      body.put("rpm", rpm);
    }
    if (tpm != null) {
      body.put("tpm", tpm);
    }
    if (budgetUsd != null) {
      body.put("budget_usd", budgetUsd);
    }
    if (expires != null) {
      body.put("expires", expires);
    }
    if (metadata != null) {
      body.set("metadata", ApiJson.MAPPER.readTree(metadata));
    }
    return body;
  }

  private int remote() throws Exception {
    GatewayUrl gateway = url.isBlank() ? GatewayUrl.of(ConfigLoader.load(config).server()) : GatewayUrl.parse(url);
    GatewayClient client = new GatewayClient(gateway);
    GatewayClient.Answer answer = switch (action) {
      case create -> client.post("/api/keys", createBody());
      case list -> client.get("/api/keys");
      case revoke -> client.delete("/api/keys/" + java.net.URLEncoder.encode(keyId,
          java.nio.charset.StandardCharsets.UTF_8));
    };
    if (answer.status() / 100 != 2) {
      System.err.println("tracegate: keys " + action + " failed (HTTP " + answer.status() + "): "
          + Formats.visible(answer.errorMessage()));
      return 2;
    }
    print(answer.body());
    return 0;
  }

  private int local() throws Exception {
    GatewayConfig cfg = ConfigLoader.load(config);
    if (cfg.store().kind() == StoreConfig.Kind.MEMORY) {
      throw new IllegalArgumentException("store.kind is memory: keys live only inside the running gateway; use --url");
    }
    SpanStore opened;
    try {
      opened = SpanStores.open(cfg.store(), action == Action.list);
    } catch (StoreException e) {
      throw new IllegalStateException(e.getMessage() + " To change keys while a gateway runs, ask it: tracegate keys "
          + action + " --url", e);
    }
    try (SpanStore store = opened) {
      KeyStore keys = store.keys();
      if (keys == null) {
        throw new IllegalArgumentException(store.describe() + " keeps no virtual keys");
      }
      long now = EpochClock.nowUnixNano();
      switch (action) {
        case create -> {
          KeyRequests.Issued issued = KeyRequests.issue(createBody(), now);
          keys.create(issued.key());
          print(KeyRequests.created(issued));
        }
        case list -> {
          ObjectNode out = ApiJson.MAPPER.createObjectNode();
          ArrayNode list = out.putArray("keys");
          Map<String, Double> spend = keys.spendByKey();
          for (StoredKey k : keys.keys()) {
            list.add(KeyRequests.json(k, spend.getOrDefault(k.id(), 0d)));
          }
          print(out);
        }
        case revoke -> {
          if (!keys.revoke(keyId, now)) {
            System.err.println("tracegate: no live key with id '" + Formats.visible(keyId) + "'");
            return 2;
          }
          print(ApiJson.MAPPER.createObjectNode().put("id", keyId).put("revoked", true));
        }
        default -> throw new IllegalStateException();
      }
    }
    return 0;
  }

  private void print(JsonNode body) throws Exception {
    if (json) {
      System.out.println(ApiJson.MAPPER.writeValueAsString(body));
      return;
    }
    switch (action) {
      case create -> {
        System.out.println("created key " + body.path("id").asText() + " (" + Formats.visible(body.path("name")
            .asText()) + ")");
        System.out.println("secret (shown once; only its hash is kept): " + body.path("key").asText());
      }
      case list -> {
        Table table = new Table("ID", "NAME", "MODELS", "RPM", "TPM", "BUDGET_USD", "SPENT_USD", "EXPIRES",
            "REVOKED");
        for (JsonNode k : body.path("keys")) {
          table.row(k.path("id").asText(), k.path("name").asText(),
              k.path("models").isArray() ? join(k.path("models")) : "any", text(k, "rpm"), text(k, "tpm"),
              text(k, "budget_usd"), text(k, "spent_usd"), text(k, "expires"), text(k, "revoked"));
        }
        table.print(System.out);
      }
      case revoke -> System.out.println("revoked key " + body.path("id").asText());
      default -> throw new IllegalStateException();
    }
  }

  private static String text(JsonNode k, String field) {
    JsonNode v = k.path(field);
    return v.isMissingNode() || v.isNull() ? null : v.asText();
  }

  private static String join(JsonNode array) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode n : array) {
      sb.append(sb.length() == 0 ? "" : ",").append(n.asText());
    }
    return sb.toString();
  }
}

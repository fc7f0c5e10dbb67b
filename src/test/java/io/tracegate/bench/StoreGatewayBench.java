package io.tracegate.bench;

import io.tracegate.config.StoreConfig;
import io.tracegate.server.Gateway;
import io.tracegate.testing.TestGateway;
import io.tracegate.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issue 21: a gateway's max req/s with the PostgreSQL store beside SQLite: the built-in mock backend (so only the
 * gateway and its store are measured), chat completions on one rollout (every request allocates a sequence id:
 * on PostgreSQL one statement on the rollout's counter row) or without a rollout, {@code wrk -t1 -c32}. Not a
 * test; run with bench/postgres-store.sh.
 */
public final class StoreGatewayBench {

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path dir = Files.createTempDirectory("gw-bench");
    for (String kind : List.of("sqlite", "postgres")) {
      StoreConfig store = kind.equals("sqlite") ? StoreConfig.sqlite(dir.resolve("gw.db").toString())
          : TestPostgres.newDatabase();
      Gateway gw = Gateway.start(TestGateway.config(
          new StoreConfig(store.kind(), store.path(), 512, 100_000, java.time.Duration.ofMillis(50), store.url(),
              store.user(), store.password()), 1 << 20, Map.of("m", TestGateway.mock(Set.of()))));
      for (String rollout : List.of("one-rollout", "")) {
        Path lua = dir.resolve("chat.lua");
        Files.writeString(lua, "wrk.method = \"POST\"\n"
            + "wrk.body = '{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}'\n"
            + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
            + (rollout.isEmpty() ? "" : "wrk.headers[\"x-rollout-id\"] = \"" + rollout + "\"\n"));
        String url = gw.baseUrl() + "/v1/chat/completions";
        wrk(lua, url, 5); // warm-up
        String out = wrk(lua, url, seconds);
        String rate = out.lines().filter(l -> l.startsWith("Requests/sec")).findFirst().orElse("?").trim();
        String latency = out.lines().filter(l -> l.trim().startsWith("Latency")).findFirst().orElse("?").trim();
        System.out.println(kind + ", " + (rollout.isEmpty() ? "no rollout" : "one rollout") + ": " + rate
            + " | " + latency);
      }
      gw.services().writer().flush().get();
      var stats = gw.services().writer().stats();
      System.out.println(kind + ": spans accepted " + stats.accepted() + ", persisted " + stats.persisted()
          + ", dropped " + stats.dropped() + ", failed " + stats.failed());
      gw.close();
    }
    System.exit(0);
  }

  private static String wrk(Path lua, String url, int seconds) throws Exception {
    Process p = new ProcessBuilder("wrk", "-t1", "-c32", "-d" + seconds + "s", "-s", lua.toString(), url)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}

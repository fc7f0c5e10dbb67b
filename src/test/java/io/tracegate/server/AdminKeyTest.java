package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.AccessConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.KeyedGateway;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auth.admin_key}: /api/* needs {@code Authorization: Bearer <admin key>}; the proxy does not (no require_keys). */
class AdminKeyTest {
  private static final String ADMIN = "adm-7f3c1e9a0b";

  @TempDir Path dir;

  private static String rawGet(int port, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void apiNeedsTheAdminKeyAndTheProxyAndHealthDoNot() throws Exception {
    try (ScriptedUpstream upstream = new ScriptedUpstream();
        TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("t.db").toString()),
            1 << 20, Map.of("gpt-4o", TestGateway.openAi(upstream.openAiBaseUrl(), "gpt-4o")))
            .withAccess(AccessConfig.defaults().withAdminKey(ADMIN)))) {
      KeyedGateway api = new KeyedGateway(gw, ADMIN);
      HttpResponse<String> without = api.send("GET", "/api/spans", null, null);
      assertThat(without.statusCode()).isEqualTo(401);
      assertThat(without.headers().firstValue("www-authenticate")).hasValue("Bearer");
      assertThat(new JsonObject(without.body()).getJsonObject("error").getString("message"))
          .contains("TRACEGATE_ADMIN_KEY");
      assertThat(api.send("GET", "/api/spans", null, "not-the-key").statusCode()).isEqualTo(401);
      assertThat(api.send("POST", "/api/rollouts/R/rewards", "{\"value\":1}", null).statusCode()).isEqualTo(401);
      assertThat(api.send("GET", "/api/keys", null, null).statusCode()).isEqualTo(401);
      assertThat(api.send("GET", "/api/spans", null, ADMIN).statusCode()).isEqualTo(200);
      // spellings of /api/spans the router resolves to it are guarded too
      int port = gw.gateway().port();
      for (String path : List.of("/x/../api/spans", "/%61pi/spans", "/./api/spans", "/api/./spans")) {
        assertThat(rawGet(port, path)).as(path).startsWith("HTTP/1.1 401");
      }

      // agents are not asked for the admin key, nor is a health check or Claude Code's start-up probe
      assertThat(api.chat("gpt-4o", null).statusCode()).isEqualTo(200);
      assertThat(api.send("GET", "/health", null, null).statusCode()).isEqualTo(200);
      assertThat(api.send("HEAD", "/api/hello", null, null).statusCode()).isEqualTo(200);

      gw.flush();
      assertThat(gw.spans(null)).as("the refused reward was not stored; the call was").hasSize(1);
    }
  }
}

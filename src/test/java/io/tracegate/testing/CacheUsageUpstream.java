package io.tracegate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An Anthropic Messages upstream on loopback whose answers carry usage scripted call by call: uncached input,
 * cache read, cache write and its 5m/1h split, output, as Anthropic reports them (input EXCLUDES cached tokens).
 * Answers are whole (non-stream) text messages; a request without a scripted usage gets a 500.
 */
public final class CacheUsageUpstream implements AutoCloseable {
  /** One call's usage as Anthropic reports it; a null split leaves {@code cache_creation} out. */
  public record Usage(long input, long cacheRead, long cacheWrite, Long write5m, Long write1h, long output) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final BlockingQueue<Usage> script = new LinkedBlockingQueue<>();

  public CacheUsageUpstream() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  /** Base URL for an Anthropic backend entry (without /v1). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The usage of the next call. */
  public void next(Usage usage) {
    script.add(usage);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      Usage u = script.poll();
      if (u == null || !req.path().endsWith("/v1/messages")) {
        req.response().setStatusCode(500).end("{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
            + "\"message\":\"no scripted usage\"}}");
        return;
      }
      JsonObject usage = new JsonObject().put("input_tokens", u.input())
          .put("cache_creation_input_tokens", u.cacheWrite()).put("cache_read_input_tokens", u.cacheRead())
          .put("output_tokens", u.output());
      if (u.write5m() != null || u.write1h() != null) {
        usage.put("cache_creation", new JsonObject()
            .put("ephemeral_5m_input_tokens", u.write5m() == null ? 0 : u.write5m())
            .put("ephemeral_1h_input_tokens", u.write1h() == null ? 0 : u.write1h()));
      }
      JsonObject message = new JsonObject().put("id", "msg_usage").put("type", "message").put("role", "assistant")
          .put("model", body.toJsonObject().getString("model"))
          .put("content", new JsonArray().add(new JsonObject().put("type", "text").put("text", "done")))
          .put("stop_reason", "end_turn").put("stop_sequence", null).put("usage", usage);
      req.response().putHeader("content-type", "application/json").end(message.toBuffer());
    });
  }

  @Override
  public void close() throws Exception {
    server.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}

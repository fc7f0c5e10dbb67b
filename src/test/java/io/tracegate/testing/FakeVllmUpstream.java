package io.tracegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.upstream.mock.MockResponder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake vLLM server over real HTTP on 127.0.0.1: Chat Completions and Completions, stream and not, with
 * vLLM's {@code return_token_ids} ({@code prompt_token_ids}, {@code choices[].token_ids}) and logprobs when
 * the request asks for them. It remembers the ids it produced so tests can check spans and triplets carry
 * exactly those.
 */
public final class FakeVllmUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request as received, and the ids the fake answered with. */
  public record Call(String path, JsonNode request, int[] promptTokenIds, int[] responseTokenIds, double[] logprobs) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final MockResponder responder = MockResponder.fixed(1_750_000_000L);
  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();

  public FakeVllmUpstream() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public Call takeCall() throws InterruptedException {
    Call c = calls.poll(10, TimeUnit.SECONDS);
    if (c == null) {
      throw new AssertionError("the fake vLLM received no request within 10 s");
    }
    return c;
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      try {
        JsonNode request = JSON.readTree(body.getBytes());
        MockResponder.Endpoint endpoint = req.path().endsWith("/chat/completions")
            ? MockResponder.Endpoint.CHAT_COMPLETIONS : MockResponder.Endpoint.COMPLETIONS;
        String model = request.path("model").asText();
        ObjectNode whole = responder.nonStream(endpoint, request, model);
        calls.add(new Call(req.path(), request, ids(whole.has("prompt_token_ids") ? whole.get("prompt_token_ids")
            : whole.path("choices").path(0).get("prompt_token_ids")), ids(whole.path("choices").path(0).get("token_ids")),
            logprobs(whole.path("choices").path(0).path("logprobs"))));
        if (!request.path("stream").asBoolean(false)) {
          req.response().putHeader("content-type", "application/json").end(Buffer.buffer(JSON.writeValueAsBytes(whole)));
          return;
        }
        var resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
        for (ObjectNode chunk : responder.streamChunks(endpoint, request, model)) {
          resp.write(Buffer.buffer("data: ").appendBytes(JSON.writeValueAsBytes(chunk)).appendString("\n\n"));
        }
        resp.end("data: [DONE]\n\n");
      } catch (Exception e) {
        req.response().setStatusCode(400).end("{\"error\":{\"message\":\"" + e.getMessage() + "\"}}");
      }
    });
  }

  private static int[] ids(JsonNode array) {
    if (array == null || !array.isArray()) {
      return null;
    }
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  private static double[] logprobs(JsonNode lp) {
    JsonNode values = lp.has("content") ? lp.get("content") : lp.get("token_logprobs");
    if (values == null || !values.isArray()) {
      return null;
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode v : values) {
      out.add(v.isObject() ? v.path("logprob").asDouble() : v.asDouble());
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}

package io.tracegate.testing;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake OpenAI-compatible server on 127.0.0.1 speaking the real Chat Completions / Completions wire format
 * (JSON and SSE, usage chunk when {@code stream_options.include_usage}), with switchable misbehaviour for
 * tests: error statuses, hanging, and a stream that pauses after its first chunk until released.
 */
public final class FakeOpenAiUpstream implements AutoCloseable {

  /** One request as the fake received it. */
  public record Received(String path, io.vertx.core.MultiMap headers, Buffer body) {
    public JsonObject json() {
      return body.toJsonObject();
    }
  }

  public enum Mode { NORMAL, HANG, ERROR }

  public static final String ANSWER = "Hello from the fake upstream";
  public static final List<String> ANSWER_PIECES = List.of("Hello", " from", " the", " fake", " upstream");

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile Mode mode = Mode.NORMAL;
  private volatile int errorStatus = 500;
  private volatile String errorBody = "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"code\":null}}";
  private volatile Promise<Void> gate;
  private volatile Steady steady;

  /** A stream of {@code chunks} content chunks of {@code chars} characters each, one every {@code everyMillis}. */
  private record Steady(int chunks, int chars, long everyMillis) {}
  private final java.util.concurrent.atomic.AtomicInteger closedConnections = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger maxActive = new java.util.concurrent.atomic.AtomicInteger();

  public FakeOpenAiUpstream() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public void mode(Mode m) {
    this.mode = m;
  }

  public void error(int status, String body) {
    this.errorStatus = status;
    this.errorBody = body;
    this.mode = Mode.ERROR;
  }

  /**
   * Streams answer {@code chunks} content chunks of {@code chars} characters each, one every
   * {@code everyMillis} ms (written whatever the reader does), then finish normally.
   */
  public void streamSteadily(int chunks, int chars, long everyMillis) {
    this.steady = new Steady(chunks, chars, everyMillis);
  }

  /** The content a steady stream sends: chunk {@code i} is {@code chars} times the letter of i (a-z). */
  public static String steadyPiece(int i, int chars) {
    return String.valueOf((char) ('a' + i % 26)).repeat(chars);
  }

  /** Streams pause after their first content chunk until {@link #releaseGate()}. */
  public void gateAfterFirstChunk() {
    this.gate = Promise.promise();
  }

  public void releaseGate() {
    Promise<Void> g = gate;
    gate = null;
    if (g != null) {
      vertx.runOnContext(v -> g.tryComplete());
    }
  }

  public Received takeRequest() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the fake upstream received no request within 10 s");
    }
    return r;
  }

  public int pendingRequests() {
    return received.size();
  }

  /** Connections to this fake that have been closed (by either side) so far. */
  public int closedConnections() {
    return closedConnections.get();
  }

  /** Requests being answered now (arrived, response not yet ended or cut). */
  public int activeRequests() {
    return active.get();
  }

  /** The most requests that were being answered at the same time. */
  public int maxActiveRequests() {
    return maxActive.get();
  }

  private void handle(HttpServerRequest req) {
    req.connection().closeHandler(v -> closedConnections.incrementAndGet());
    maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
    java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable done = () -> {
      if (over.compareAndSet(false, true)) {
        active.decrementAndGet();
      }
    };
    req.response().endHandler(v -> done.run());
    req.response().closeHandler(v -> done.run());
    req.body().onSuccess(body -> {
      received.add(new Received(req.path(), req.headers(), body));
      switch (mode) {
        case HANG -> { }
        case ERROR -> req.response().setStatusCode(errorStatus).putHeader("content-type", "application/json")
            .end(errorBody);
        default -> answer(req, body.toJsonObject());
      }
    });
  }

  private void answer(HttpServerRequest req, JsonObject body) {
    boolean chat = req.path().endsWith("/chat/completions");
    String model = body.getString("model");
    if (!body.getBoolean("stream", false)) {
      req.response().putHeader("content-type", "application/json").putHeader("x-request-id", "req-fake-1")
          .end(nonStream(chat, model).toBuffer());
      return;
    }
    boolean usage = body.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
    var resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
    resp.write(frame(chunk(chat, model, chat ? new JsonObject().put("role", "assistant").put("content", "") : null,
        null, usage)));
    Runnable rest = () -> {
      for (int i = 0; i < ANSWER_PIECES.size(); i++) {
        String piece = ANSWER_PIECES.get(i);
        JsonObject delta = chat ? new JsonObject().put("content", piece) : null;
        JsonObject c = chunk(chat, model, delta, null, usage);
        if (!chat) {
          c.getJsonArray("choices").getJsonObject(0).put("text", piece);
        }
        resp.write(frame(c));
      }
      resp.write(frame(chunk(chat, model, chat ? new JsonObject() : null, "stop", usage)));
      if (usage) {
        resp.write(frame(new JsonObject().put("id", "chatcmpl-fake").put("object", objectName(chat, true))
            .put("created", 1700000000).put("model", model).put("choices", new JsonArray()).put("usage", usage())));
      }
      resp.end("data: [DONE]\n\n");
    };
    Steady st = steady;
    if (st != null) {
      sendSteadily(resp, st, chat, model, usage);
      return;
    }
    Promise<Void> g = gate;
    if (g == null) {
      rest.run();
    } else {
      // first content piece goes out now, the rest once the test saw it arrive at the client
      g.future().onComplete(v -> rest.run());
    }
  }

  private void sendSteadily(io.vertx.core.http.HttpServerResponse resp, Steady st, boolean chat, String model,
      boolean usage) {
    int[] sent = {0};
    vertx.setPeriodic(st.everyMillis(), id -> {
      if (resp.closed() || resp.ended()) {
        vertx.cancelTimer(id);
        return;
      }
      if (sent[0] < st.chunks()) {
        String piece = steadyPiece(sent[0]++, st.chars());
        JsonObject c = chunk(chat, model, chat ? new JsonObject().put("content", piece) : null, null, usage);
        if (!chat) {
          c.getJsonArray("choices").getJsonObject(0).put("text", piece);
        }
        resp.write(frame(c));
        return;
      }
      vertx.cancelTimer(id);
      resp.write(frame(chunk(chat, model, chat ? new JsonObject() : null, "stop", usage)));
      resp.end("data: [DONE]\n\n");
    });
  }

  private static String objectName(boolean chat, boolean stream) {
    return chat ? (stream ? "chat.completion.chunk" : "chat.completion") : "text_completion";
  }

  private static JsonObject chunk(boolean chat, String model, JsonObject delta, String finish, boolean usage) {
    JsonObject choice = new JsonObject().put("index", 0).put("finish_reason", finish);
    if (chat) {
      choice.put("delta", delta).put("logprobs", null);
    } else {
      choice.put("text", "").put("logprobs", null);
    }
    JsonObject c = new JsonObject().put("id", "chatcmpl-fake").put("object", objectName(chat, true))
        .put("created", 1700000000).put("model", model).put("choices", new JsonArray().add(choice));
    if (usage) {
      c.putNull("usage");
    }
    return c;
  }

  private static JsonObject nonStream(boolean chat, String model) {
    JsonObject choice = new JsonObject().put("index", 0).put("finish_reason", "stop").put("logprobs", null);
    if (chat) {
      choice.put("message", new JsonObject().put("role", "assistant").put("content", ANSWER));
    } else {
      choice.put("text", ANSWER);
    }
    return new JsonObject().put("id", "chatcmpl-fake").put("object", objectName(chat, false))
        .put("created", 1700000000).put("model", model).put("choices", new JsonArray().add(choice))
        .put("usage", usage());
  }

  static JsonObject usage() {
    return new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 5).put("total_tokens", 17)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 4))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 0));
  }

  private static Buffer frame(JsonObject json) {
    return Buffer.buffer("data: ").appendBuffer(json.toBuffer()).appendString("\n\n");
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}

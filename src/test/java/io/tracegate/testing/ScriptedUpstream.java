package io.tracegate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake upstream speaking both wire protocols on 127.0.0.1: OpenAI Chat Completions at
 * {@code /v1/chat/completions} and Anthropic Messages at {@code /v1/messages}, answering the current
 * {@link ScriptedAnswer} as JSON or as a realistic SSE stream (text in small pieces, tool arguments in
 * fragments, a vLLM-style token-id-only chunk, pings, usage where each protocol puts it).
 */
public final class ScriptedUpstream implements AutoCloseable {
  public record Received(String path, io.vertx.core.MultiMap headers, JsonObject body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile ScriptedAnswer script = ScriptedAnswer.plainText();
  private volatile int cutAfterFrames = -1;
  private volatile int errorStatus;
  private volatile String errorBody;
  private final java.util.concurrent.ConcurrentLinkedQueue<Failure> nextFailures =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.List<Long> hitNanos = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile io.vertx.core.Promise<Void> hold;

  /** An error answer: status, extra headers (name, value, ...), JSON body. */
  public record Failure(int status, String body, String... headers) {}

  /** The next {@code times} requests get {@code failure}, whatever else is set; then normal answers again. */
  public void failNext(int times, Failure failure) {
    for (int i = 0; i < times; i++) {
      nextFailures.add(failure);
    }
  }

  /** Requests received so far (counted as they arrive, before any answer). */
  public int hits() {
    return hitNanos.size();
  }

  /** {@link System#nanoTime()} at the arrival of each request, in order. */
  public java.util.List<Long> hitNanos() {
    return java.util.List.copyOf(hitNanos);
  }

  /** From now on requests wait, unanswered, until {@link #release()}. */
  public void holdRequests() {
    hold = io.vertx.core.Promise.promise();
  }

  /** Answers every held request and stops holding. */
  public void release() {
    io.vertx.core.Promise<Void> h = hold;
    hold = null;
    if (h != null) {
      h.tryComplete();
    }
  }

  /** Streams break (connection closed) after this many frames; -1 for never. */
  public void cutStreamsAfter(int frames) {
    this.cutAfterFrames = frames;
  }

  /** Every request is answered with this status and body; status 0 to answer normally again. */
  public void failWith(int status, String body) {
    this.errorStatus = status;
    this.errorBody = body;
  }

  public ScriptedUpstream() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  /** Base URL for an OpenAI-compatible backend entry (with /v1). */
  public String openAiBaseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** Base URL for an Anthropic backend entry (without /v1). */
  public String anthropicBaseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public void script(ScriptedAnswer answer) {
    this.script = answer;
  }

  public Received takeRequest() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the scripted upstream received no request within 10 s");
    }
    return r;
  }

  public void clearRequests() {
    received.clear();
  }

  private void handle(HttpServerRequest req) {
    hitNanos.add(System.nanoTime());
    io.vertx.core.Promise<Void> h = hold;
    if (h != null) {
      req.pause();
      io.vertx.core.Context context = vertx.getOrCreateContext(); // the request's event loop
      h.future().onComplete(v -> context.runOnContext(x -> {
        answer(req);
        req.resume();
      }));
      return;
    }
    answer(req);
  }

  private void answer(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      received.add(new Received(req.uri(), req.headers(), json));
      ScriptedAnswer s = script;
      boolean stream = json.getBoolean("stream", false);
      String model = json.getString("model");
      HttpServerResponse resp = req.response();
      Failure f = nextFailures.poll();
      if (f != null) {
        for (int i = 0; i + 1 < f.headers().length; i += 2) {
          resp.putHeader(f.headers()[i], f.headers()[i + 1]);
        }
        resp.setStatusCode(f.status()).putHeader("content-type", "application/json").end(f.body());
        return;
      }
      if (errorStatus > 0) {
        resp.setStatusCode(errorStatus).putHeader("content-type", "application/json").end(errorBody);
        return;
      }
      if (req.path().endsWith("/chat/completions")) {
        if (stream) {
          boolean usage = json.getJsonObject("stream_options", new JsonObject()).getBoolean("include_usage", false);
          streamOpenAi(resp, s, model, usage);
        } else {
          resp.putHeader("content-type", "application/json").end(OpenAiRendering.whole(s, model).toBuffer());
        }
      } else if (req.path().endsWith("/v1/messages")) {
        if (stream) {
          streamAnthropic(resp, s, model);
        } else {
          resp.putHeader("content-type", "application/json").end(AnthropicRendering.whole(s, model).toBuffer());
        }
      } else {
        resp.setStatusCode(404).end();
      }
    });
  }

  private void streamOpenAi(HttpServerResponse resp, ScriptedAnswer s, String model, boolean usage) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream");
    int n = 0;
    for (JsonObject chunk : OpenAiRendering.chunks(s, model, usage)) {
      if (n++ == cutAfterFrames) {
        resp.reset();
        return;
      }
      resp.write(Buffer.buffer("data: ").appendBuffer(chunk.toBuffer()).appendString("\n\n"));
    }
    resp.end("data: [DONE]\n\n");
  }

  private void streamAnthropic(HttpServerResponse resp, ScriptedAnswer s, String model) {
    resp.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
    int n = 0;
    for (JsonObject event : AnthropicRendering.events(s, model)) {
      if (n++ == cutAfterFrames) {
        resp.reset();
        return;
      }
      resp.write(Buffer.buffer("event: " + event.getString("type") + "\ndata: ").appendBuffer(event.toBuffer())
          .appendString("\n\n"));
    }
    resp.end();
  }

  static JsonArray array(Object... items) {
    JsonArray a = new JsonArray();
    for (Object i : items) {
      a.add(i);
    }
    return a;
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}

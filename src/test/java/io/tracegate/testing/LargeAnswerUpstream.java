package io.tracegate.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake upstream on 127.0.0.1 that answers every POST with one large body, generated while it is sent (with
 * back-pressure, chunked): {@code prefix}, then {@code unit} {@code count} times, then {@code suffix}. It never
 * holds the body, so a test can send answers of any size; {@link #sha256} gives the digest the client must see.
 */
public final class LargeAnswerUpstream implements AutoCloseable {
  private static final int CHUNK_BYTES = 64 * 1024;

  /** One answer: its content type and three parts. */
  public record Answer(String contentType, String prefix, String unit, long count, String suffix) {
    public long length() {
      return utf8(prefix).length + utf8(unit).length * count + utf8(suffix).length;
    }

    /** Lowercase hex SHA-256 of the whole body. */
    public String sha256() {
      try {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(utf8(prefix));
        byte[] u = utf8(unit);
        for (long i = 0; i < count; i++) {
          d.update(u);
        }
        d.update(utf8(suffix));
        return HexFormat.of().formatHex(d.digest());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Answer answer;

  public LargeAnswerUpstream(Answer answer) throws Exception {
    this.answer = answer;
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  public void answer(Answer a) {
    this.answer = a;
  }

  public int port() {
    return server.actualPort();
  }

  /** Base URL for an OpenAI-compatible backend entry (with /v1). */
  public String openAiBaseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /** Base URL for an Anthropic backend entry (without /v1). */
  public String anthropicBaseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public int requests() {
    return requests.get();
  }

  private void handle(HttpServerRequest req) {
    Answer a = answer;
    req.body().onSuccess(ignored -> {
      requests.incrementAndGet();
      HttpServerResponse resp = req.response().setStatusCode(200).setChunked(true)
          .putHeader("content-type", a.contentType());
      resp.write(Buffer.buffer(a.prefix()));
      new Sender(resp, utf8(a.unit()), a.count(), utf8(a.suffix())).run();
    });
  }

  /** Writes the units in chunks while the connection takes them, resuming on drain. */
  private static final class Sender {
    private final HttpServerResponse resp;
    private final byte[] unit;
    private final byte[] suffix;
    private long left;

    Sender(HttpServerResponse resp, byte[] unit, long count, byte[] suffix) {
      this.resp = resp;
      this.unit = unit;
      this.suffix = suffix;
      this.left = count;
    }

    void run() {
      int perChunk = Math.max(1, CHUNK_BYTES / Math.max(1, unit.length));
      while (left > 0) {
        int n = (int) Math.min(perChunk, left);
        Buffer chunk = Buffer.buffer(n * unit.length);
        for (int i = 0; i < n; i++) {
          chunk.appendBytes(unit);
        }
        left -= n;
        resp.write(chunk);
        if (resp.writeQueueFull()) {
          resp.drainHandler(v -> run());
          return;
        }
      }
      resp.end(Buffer.buffer(suffix));
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}

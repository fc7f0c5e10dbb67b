package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A non-stream answer relayed as it arrives: the client has the first bytes before the backend finished, and
 * a backend that breaks in the middle resets the client's connection (no error frame glued to a JSON body),
 * with one span saying what happened.
 */
class WholeAnswerRelayTest {
  private final Vertx vertx = Vertx.vertx();
  private final CompletableFuture<HttpServerResponse> held = new CompletableFuture<>();
  private TestGateway gw;

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void firstBytesArriveBeforeTheEndAndABrokenBackendResetsTheClient() throws Exception {
    HttpServer upstream = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "application/json");
      resp.write(Buffer.buffer("{\"id\":\"chatcmpl-cut\",\"object\":\"chat.completion\",\"choices\":[{\"message\":"));
      held.complete(resp); // the rest never comes: the test breaks the connection
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
        Map.of("m", TestGateway.openAi("http://127.0.0.1:" + upstream.actualPort() + "/v1", "m"))));

    HttpResponse<InputStream> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
        HttpRequest.newBuilder(URI.create(gw.url("/rollout/cut/attempt/a/v1/chat/completions")))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[]}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    byte[] first = new byte[6];
    assertThat(r.body().readNBytes(first, 0, 6)).isEqualTo(6);
    assertThat(new String(first)).as("relayed before the backend finished").isEqualTo("{\"id\":");

    held.get(10, TimeUnit.SECONDS).reset();

    assertThatThrownBy(() -> r.body().readAllBytes()).isInstanceOf(IOException.class);
    Span span = gw.awaitSpans("cut", 1).get(0);
    assertThat(span.status()).isEqualTo(Span.STATUS_ERROR);
  }
}

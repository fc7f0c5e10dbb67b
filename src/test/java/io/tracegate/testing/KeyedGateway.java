package io.tracegate.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP with credentials against a {@link TestGateway}: the admin API, and proxy calls with a key. */
public final class KeyedGateway {
  private final TestGateway gw;
  private final String adminKey;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  public KeyedGateway(TestGateway gw, String adminKey) {
    this.gw = gw;
    this.adminKey = adminKey;
  }

  /** {@code POST /api/keys} with the admin key; returns the 201 answer (with {@code key}, the secret). */
  public JsonObject createKey(String json) throws Exception {
    HttpResponse<String> r = send("POST", "/api/keys", json, adminKey);
    if (r.statusCode() != 201) {
      throw new AssertionError("POST /api/keys answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  /** A request with {@code Authorization: Bearer <bearer>} (none when null) and a JSON body (none when null). */
  public HttpResponse<String> send(String method, String path, String json, String bearer, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("content-type", "application/json");
    }
    if (bearer != null) {
      b.header("authorization", "Bearer " + bearer);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code POST /v1/chat/completions} for {@code model} with a key as Bearer. */
  public HttpResponse<String> chat(String model, String key) throws Exception {
    return send("POST", "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
  }

  /** {@code POST /v1/messages} for {@code model} with a key as {@code x-api-key} (as the Anthropic SDK sends it). */
  public HttpResponse<String> messages(String model, String key) throws Exception {
    return send("POST", "/v1/messages", "{\"model\":\"" + model
        + "\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null, "x-api-key", key,
        "anthropic-version", "2023-06-01");
  }
}

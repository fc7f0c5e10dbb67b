package io.tracegate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.AccessConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;

/**
 * JSON over HTTP to a running gateway's {@code /api/}. A gateway that cannot be reached, does not answer, or
 * answers something that is not JSON becomes an {@link IOException} whose message names the URL and says what
 * to do, so the CLI prints one useful line instead of a bare {@code java.net.ConnectException}.
 */
final class GatewayClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

  private final GatewayUrl url;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

  /** The gateway's status and JSON body. */
  record Answer(int status, JsonNode body) {
    /** The message of an {@code {"error": {"message": ...}}} body, else the whole body. */
    String errorMessage() {
      return body.path("error").path("message").asText(body.toString());
    }
  }

  GatewayClient(GatewayUrl url) {
    this.url = url;
  }

  GatewayUrl url() {
    return url;
  }

  /** {@code GET} of a path (with its query string) under the base URL. */
  Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(url.resolve(path)).timeout(ANSWER_TIMEOUT).GET().build());
  }

  /** {@code POST} of a JSON body to a path under the base URL. */
  Answer post(String path, JsonNode body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(url.resolve(path)).timeout(ANSWER_TIMEOUT)
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
  }

  /** {@code DELETE} of a path under the base URL. */
  Answer delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(url.resolve(path)).timeout(ANSWER_TIMEOUT).DELETE().build());
  }

  private Answer send(HttpRequest plain) throws IOException, InterruptedException {
    HttpRequest request = withAdminKey(plain);
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
    } catch (HttpTimeoutException e) {
      throw new IOException("the gateway at " + url + " did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw unreachable(hasCause(e, UnresolvedAddressException.class) ? "unknown host" : "connection refused", e);
    } catch (IOException e) {
      throw unreachable(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName(), e);
    }
    try {
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    } catch (JsonProcessingException e) {
      throw new IOException("the server at " + url + " answered HTTP " + response.statusCode()
          + " with something that is not JSON: is " + url + " a tracegate gateway? (--url)", e);
    }
  }

  /** Adds {@code Authorization: Bearer $TRACEGATE_ADMIN_KEY} when the variable is set (auth.admin_key). */
  private static HttpRequest withAdminKey(HttpRequest request) {
    String key = System.getenv(AccessConfig.ADMIN_KEY_VARIABLE);
    if (key == null || key.isBlank()) {
      return request;
    }
    return HttpRequest.newBuilder(request, (name, value) -> true)
        .header("authorization", "Bearer " + key.strip()).build();
  }

  private IOException unreachable(String reason, IOException cause) {
    return new IOException("cannot reach the gateway at " + url + " (" + reason + "); is the gateway running at "
        + url + "? start it with \"tracegate serve\" or pass --url", cause);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}

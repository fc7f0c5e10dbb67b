package io.tracegate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/** Reads spans from a running gateway's {@code /api/} endpoints. */
final class HttpSource implements SpanSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String baseUrl;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  HttpSource(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  @Override
  public long count(SpanQuery q) throws IOException, InterruptedException {
    return get("/api/spans?" + filters(q) + "&count=true").path("count").asLong();
  }

  @Override
  public SpanPage spans(SpanQuery q) throws IOException, InterruptedException {
    StringJoiner params = filters(q);
    add(params, "limit", String.valueOf(q.limit()));
    add(params, "cursor", q.cursor());
    add(params, "order", q.order().id());
    JsonNode body = get("/api/spans?" + params);
    List<Span> spans = new ArrayList<>();
    for (JsonNode s : body.path("spans")) {
      spans.add(JSON.treeToValue(s, Span.class));
    }
    JsonNode next = body.get("next_cursor");
    return new SpanPage(spans, next == null || next.isNull() ? null : next.asText());
  }

  private static StringJoiner filters(SpanQuery q) {
    StringJoiner params = new StringJoiner("&");
    add(params, "rollout_id", q.rolloutId());
    add(params, "attempt_id", q.attemptId());
    add(params, "kind", q.kind());
    add(params, "since", q.sinceUnixNano() == null ? null : String.valueOf(q.sinceUnixNano()));
    return params;
  }

  @Override
  public List<RolloutSummary> rollouts(RolloutQuery q) throws IOException, InterruptedException {
    StringJoiner params = new StringJoiner("&");
    add(params, "since", q.sinceUnixNano() == null ? null : String.valueOf(q.sinceUnixNano()));
    add(params, "limit", String.valueOf(q.limit()));
    List<RolloutSummary> out = new ArrayList<>();
    for (JsonNode r : get("/api/rollouts?" + params).path("rollouts")) {
      out.add(JSON.treeToValue(r, RolloutSummary.class));
    }
    return out;
  }

  @Override
  public Optional<RolloutSummary> rollout(String id) throws IOException, InterruptedException {
    HttpResponse<String> response = send("/api/rollouts/" + encode(id));
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(JSON.treeToValue(check(response), RolloutSummary.class));
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return check(send(path));
  }

  private HttpResponse<String> send(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode check(HttpResponse<String> response) throws IOException {
    JsonNode body = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      throw new IOException("gateway answered HTTP " + response.statusCode() + ": "
          + body.path("error").path("message").asText(response.body()));
    }
    return body;
  }

  private static void add(StringJoiner params, String name, String value) {
    if (value != null) {
      params.add(name + "=" + encode(value));
    }
  }

  private static String encode(String v) {
    return URLEncoder.encode(v, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    // java.net.http.HttpClient on Java 17 has no close(); its threads are daemons
  }
}

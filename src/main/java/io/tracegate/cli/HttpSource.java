package io.tracegate.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.server.RolloutIds;
import io.tracegate.report.Report;
import io.tracegate.report.ReportQuery;
import io.tracegate.store.RolloutQuery;
import io.tracegate.store.RolloutSummary;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.trace.Span;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/** Reads spans from a running gateway's {@code /api/} endpoints. */
final class HttpSource implements SpanSource {
  /** Fields this build does not know (a newer gateway's, a degraded span's {@code render_error}) are skipped. */
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final GatewayClient gateway;

  HttpSource(GatewayUrl url) {
    this.gateway = new GatewayClient(url);
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
    GatewayClient.Answer answer = gateway.get("/api/rollouts/" + RolloutIds.pathSegment(id));
    if (answer.status() == 404) {
      return Optional.empty();
    }
    return Optional.of(JSON.treeToValue(check(answer), RolloutSummary.class));
  }

  @Override
  public Report report(ReportQuery q) throws IOException, InterruptedException {
    StringJoiner params = new StringJoiner("&");
    add(params, q.compare() ? "compare" : "by", q.groupBy().id());
    add(params, "baseline", q.baseline());
    add(params, "rollout_id", q.rolloutId());
    add(params, "since", q.sinceUnixNano() == null ? null : String.valueOf(q.sinceUnixNano()));
    add(params, "until", q.untilUnixNano() == null ? null : String.valueOf(q.untilUnixNano()));
    add(params, "model", q.model());
    q.tags().forEach((k, v) -> add(params, "tag", k + "=" + v));
    add(params, "cache_breaks", q.cacheBreaks() ? "true" : null);
    return JSON.treeToValue(get("/api/report?" + params), Report.class);
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return check(gateway.get(path));
  }

  private static JsonNode check(GatewayClient.Answer answer) throws IOException {
    if (answer.status() != 200) {
      throw new IOException("gateway answered HTTP " + answer.status() + ": " + answer.errorMessage());
    }
    return answer.body();
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

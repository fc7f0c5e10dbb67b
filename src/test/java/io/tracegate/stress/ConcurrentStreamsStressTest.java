package io.tracegate.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 2,000 slow streams held at once through one gateway (two event loops) to one backend with the default
 * configuration: none fails. Each stream lasts ~15 s, longer than the backend's 10 s connect timeout, so a
 * stream that had to wait for a pooled connection would fail (before {@code max_connections}, each event
 * loop's client had 512 connections: 1,024 here, and the other streams got 504s). Needs ~8,000 descriptors (client, gateway
 * in and out, upstream); run with {@code mvn -B -o verify -Pstress} (tag {@code stress}, not part of the
 * default build).
 */
@Tag("stress")
class ConcurrentStreamsStressTest {
  private static final int STREAMS = 2_000;
  private static final int CHUNKS = 30;

  @Test
  void twoThousandConcurrentSlowStreamsAllComplete() throws Exception {
    try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
      upstream.streamSteadily(CHUNKS, 32, 500); // one chunk every 0.5 s: ~15 s per stream
      // the defaults of a configured backend: connect timeout 10 s, max_connections
      BackendConfig test = TestGateway.openAi(upstream.baseUrl(), "backend-model");
      BackendConfig backend = new BackendConfig(test.name(), test.provider(), test.baseUrl(), test.model(),
          test.apiKey(), test.capture(), BackendConfig.DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(30),
          Duration.ofSeconds(30));
      try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
          Map.of("policy", backend)))) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();
        String body = "{\"model\":\"policy\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>(STREAMS);
        for (int i = 0; i < STREAMS; i++) {
          HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url("/rollout/stress/attempt/a/v1/chat/completions")))
              .timeout(Duration.ofSeconds(120)).header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build();
          calls.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        int ok = 0;
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
          try {
            HttpResponse<String> r = call.get(180, TimeUnit.SECONDS);
            if (r.statusCode() == 200 && r.body().contains(FakeOpenAiUpstream.steadyPiece(CHUNKS - 1, 32))
                && r.body().endsWith("data: [DONE]\n\n")) {
              ok++;
            } else if (failures.size() < 5) {
              failures.add(r.statusCode() + " " + r.body().substring(Math.max(0, r.body().length() - 300)));
            }
          } catch (Exception e) {
            if (failures.size() < 5) {
              failures.add(e.toString());
            }
          }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        System.out.printf("stress: %d of %d streams complete in %d s; the backend saw at most %d at once%n",
            ok, STREAMS, seconds, upstream.maxActiveRequests());
        assertThat(failures).as("first failures").isEmpty();
        assertThat(ok).isEqualTo(STREAMS);
        assertThat(upstream.maxActiveRequests()).as("streams the backend held at once").isEqualTo(STREAMS);
        gw.awaitAccepted(STREAMS);
        List<Span> spans = new ArrayList<>();
        String cursor = null;
        do {
          SpanPage page = gw.gateway().services().store().query(new SpanQuery("stress", null, null, null, 1000, cursor));
          spans.addAll(page.spans());
          cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(spans).hasSize(STREAMS);
        assertThat(spans).extracting(Span::status).containsOnly("ok");
      }
    }
  }
}

package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.GatewayConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sequence ids: per rollout, distinct under concurrency, continuing after a restart on the same store. */
class SequenceIdTest {
  @TempDir Path dir;

  @Test
  void concurrentRequestsGetDistinctIdsAndIdsContinueAfterRestart() throws Exception {
    try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream()) {
      GatewayConfig config = TestGateway.config(StoreConfig.sqlite(dir.resolve("seq.db").toString()), 1 << 20,
          Map.of("gpt-test", TestGateway.openAi(upstream.baseUrl(), null)));
      try (TestGateway gw = TestGateway.start(config)) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url("/rollout/conc/attempt/a1/v1/chat/completions")))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"" + i + "\"}]}"))
              .build();
          calls.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> c : calls) {
          assertThat(c.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        List<Span> spans = gw.awaitSpans("conc", 50);
        assertThat(spans).extracting(Span::sequenceId).doesNotHaveDuplicates()
            .containsExactlyInAnyOrderElementsOf(range(1, 50));
        // another rollout counts from 1 on its own
        assertThat(gw.post("/v1/chat/completions", "{\"model\":\"gpt-test\",\"messages\":[]}",
            "x-rollout-id", "other").statusCode()).isEqualTo(200);
        assertThat(gw.awaitSpans("other", 1).get(0).sequenceId()).isEqualTo(1L);
      }
      try (TestGateway restarted = TestGateway.start(config)) {
        assertThat(restarted.post("/rollout/conc/attempt/a2/v1/chat/completions",
            "{\"model\":\"gpt-test\",\"messages\":[]}").statusCode()).isEqualTo(200);
        List<Span> spans = restarted.awaitSpans("conc", 51);
        assertThat(spans.stream().filter(s -> "a2".equals(s.attemptId())).findFirst().orElseThrow().sequenceId())
            .isEqualTo(51L);
      }
    }
  }

  private static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}

package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.config.StoreConfig;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.WriterStats;
import io.tracegate.store.postgres.PostgresSpanStore;
import io.tracegate.testing.FakeOpenAiUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.testing.TestPostgres;
import io.tracegate.trace.Span;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL stopped under a gateway, then started again: requests are still answered, their spans wait in the
 * bounded queue (those beyond it are dropped and counted), {@code /health} says degraded, and once the database
 * is back the writer reconnects and stores every span it kept, exactly once.
 */
class PostgresOutageTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUEUE = 40;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path data;

  @Test
  void requestsAreServedWhileTheDatabaseIsDownAndTheirSpansAreWrittenOnceItIsBack() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    EmbeddedPostgres pg = startPostgres(port);
    StoreConfig db = TestPostgres.newDatabase(pg);
    StoreConfig store = new StoreConfig(StoreConfig.Kind.POSTGRES, null, 8, QUEUE, Duration.ofMillis(10), db.url(),
        db.user(), db.password());
    try (FakeOpenAiUpstream upstream = new FakeOpenAiUpstream();
        TestGateway gw = TestGateway.start(TestGateway.config(store, 1 << 20,
            Map.of("gpt-test", TestGateway.openAi(upstream.baseUrl(), null))))) {
      for (int i = 0; i < 5; i++) {
        assertThat(chat(gw, "before" + i).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      gw.awaitSpans("outage", 5);

      pg.close(); // the database goes away under the running gateway
      List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
      for (int i = 0; i < 2 * QUEUE; i++) {
        during.add(chat(gw, "during" + i));
      }
      for (CompletableFuture<HttpResponse<String>> c : during) {
        assertThat(c.get(60, TimeUnit.SECONDS).statusCode()).as("answered while the database is down").isEqualTo(200);
      }
      await("the writer notices the outage", () -> gw.gateway().services().writer().health().writesFailing());
      JsonNode health = JSON.readTree(gw.get("/health").body());
      assertThat(health.path("status").asText()).isEqualTo("degraded");
      assertThat(health.toString()).contains("spans kept in the queue and retried");
      WriterStats down = gw.gateway().services().writer().stats();
      assertThat(down.dropped()).as("beyond the queue bound spans are dropped and counted").isPositive();
      assertThat(down.accepted() + down.dropped()).isEqualTo(5 + 2 * QUEUE);
      assertThat(down.persisted()).isEqualTo(5);
      assertThat(down.failed()).isZero();

      EmbeddedPostgres restarted = startPostgres(port); // same data directory, same port
      try {
        await("the kept spans are written", () -> gw.gateway().services().writer().stats().persisted()
            == gw.gateway().services().writer().stats().accepted());
        WriterStats after = gw.gateway().services().writer().stats();
        assertThat(after.failed()).isZero();
        try (PostgresSpanStore check = PostgresSpanStore.open(store, true)) {
          List<Span> spans = check.query(new SpanQuery("outage", null, null, null, 1000, null)).spans();
          assertThat(spans).hasSize((int) after.accepted());
          assertThat(spans).extracting(Span::spanId).doesNotHaveDuplicates();
          assertThat(spans.stream().filter(s -> s.request().toString().contains("during")).count())
              .isEqualTo(after.accepted() - 5);
        }
        await("health is ok again", () -> {
          try {
            return JSON.readTree(gw.get("/health").body()).path("status").asText().equals("ok");
          } catch (Exception e) {
            return false;
          }
        });
        // and new requests get sequence ids from the database again, after those of before the outage
        assertThat(chat(gw, "after").get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        gw.flush();
        try (PostgresSpanStore check = PostgresSpanStore.open(store, true)) {
          assertThat(check.maxSequenceId("outage")).isGreaterThan(5);
        }
      } finally {
        restarted.close();
      }
    }
  }

  private EmbeddedPostgres startPostgres(int port) {
    return TestPostgres.start(EmbeddedPostgres.builder().setPort(port).setDataDirectory(data)
        .setCleanDataDirectory(false));
  }

  private CompletableFuture<HttpResponse<String>> chat(TestGateway gw, String text) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(gw.url("/rollout/outage/attempt/a1/v1/chat/completions")))
        .header("content-type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-test\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"))
        .build();
    return client.sendAsync(req, HttpResponse.BodyHandlers.ofString());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }
}

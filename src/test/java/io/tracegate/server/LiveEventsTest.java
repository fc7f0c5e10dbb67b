package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.Capture;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code GET /api/events}: a server-sent event when spans were stored, so the UI's list updates live. */
class LiveEventsTest {
  private static final Pattern PERSISTED = Pattern.compile("data: \\{\"persisted\":(\\d+)}");

  @Test
  void anEventFollowsEachStoredCall() throws Exception {
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
        Map.of("policy", TestGateway.mock(Set.of(Capture.TOKEN_IDS)))))) {
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<Stream<String>> events = client.send(HttpRequest.newBuilder(URI.create(gw.url("/api/events")))
          .build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
      Iterator<String> lines = events.body().iterator();
      assertThat(nextPersisted(lines)).isZero(); // sent at once
      String chat = "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3}";
      assertThat(gw.post("/rollout/live/attempt/1/v1/chat/completions", chat).statusCode()).isEqualTo(200);
      assertThat(nextPersisted(lines)).isEqualTo(1);
      assertThat(gw.post("/rollout/live/attempt/1/v1/chat/completions", chat).statusCode()).isEqualTo(200);
      assertThat(gw.post("/api/rollouts/live/rewards", "{\"value\":1}").statusCode()).isEqualTo(201);
      long seen = nextPersisted(lines);
      while (seen < 3) { // the call and the reward may come in one event or two
        seen = nextPersisted(lines);
      }
      assertThat(seen).isEqualTo(3);
      events.body().close();
    }
  }

  /** The next {@code spans} event's count; fails after a generous deadline instead of hanging. */
  private static long nextPersisted(Iterator<String> lines) throws Exception {
    CompletableFuture<Long> next = CompletableFuture.supplyAsync(() -> {
      while (lines.hasNext()) {
        Matcher m = PERSISTED.matcher(lines.next());
        if (m.matches()) {
          return Long.parseLong(m.group(1));
        }
      }
      throw new AssertionError("the event stream ended");
    });
    return next.get(30, TimeUnit.SECONDS);
  }
}

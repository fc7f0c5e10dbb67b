package io.tracegate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.HealthConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.RetryConfig;
import io.tracegate.config.RoutingStrategy;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.RawHttp;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import io.tracegate.trace.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** round_robin, least_busy and sticky over real HTTP, each replica a fake upstream. */
class StrategiesTest {
  private static final String CHAT = "/v1/chat/completions";
  static final List<ScriptedUpstream> replicas = new ArrayList<>();
  static final List<ScriptedUpstream> weighted = new ArrayList<>();
  static final List<ScriptedUpstream> busy = new ArrayList<>();
  static final List<ScriptedUpstream> sessions = new ArrayList<>();
  static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    for (int i = 0; i < 3; i++) {
      replicas.add(new ScriptedUpstream());
      weighted.add(new ScriptedUpstream());
      sessions.add(new ScriptedUpstream());
    }
    busy.add(new ScriptedUpstream());
    busy.add(new ScriptedUpstream());
    gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), List.of(
        model("policy", RoutingStrategy.STICKY, replicas, "replica-", 1, 1, 1),
        model("rr", RoutingStrategy.ROUND_ROBIN, weighted, "rr-", 3, 1, 1),
        model("lb", RoutingStrategy.LEAST_BUSY, busy, "lb-", 1, 2),
        model("sessions", RoutingStrategy.STICKY, sessions, "s-", 1, 1, 1))));
  }

  private static ModelConfig model(String name, RoutingStrategy strategy, List<ScriptedUpstream> upstreams,
      String prefix, int... weights) {
    List<BackendConfig> backends = new ArrayList<>();
    for (int i = 0; i < upstreams.size(); i++) {
      backends.add(TestGateway.openAi(upstreams.get(i).openAiBaseUrl(), "m").named(prefix + i, weights[i]));
    }
    // one failure takes a replica out for a minute: "down" stays down for the whole test
    return new ModelConfig(name, backends, strategy, RetryConfig.DEFAULT, new HealthConfig(1, Duration.ofMinutes(1)));
  }

  @AfterAll
  static void stop() throws Exception {
    gw.close();
    for (List<ScriptedUpstream> list : List.of(replicas, weighted, busy, sessions)) {
      for (ScriptedUpstream u : list) {
        u.close();
      }
    }
  }

  private static String chat(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  private static int[] hits(List<ScriptedUpstream> upstreams) {
    return upstreams.stream().mapToInt(ScriptedUpstream::hits).toArray();
  }

  /** Which upstream the next call went to (exactly one must have seen it). */
  private static int servedBy(List<ScriptedUpstream> upstreams, int[] before) {
    int[] after = hits(upstreams);
    int served = -1;
    for (int i = 0; i < after.length; i++) {
      if (after[i] != before[i]) {
        assertThat(served).as("only one upstream saw the call").isEqualTo(-1);
        assertThat(after[i] - before[i]).isEqualTo(1);
        served = i;
      }
    }
    assertThat(served).as("some upstream saw the call").isNotNegative();
    return served;
  }

  private static String lastBackend(String rollout, int calls) throws Exception {
    List<Span> spans = gw.awaitSpans(rollout, calls);
    assertThat(spans).hasSize(calls);
    Span last = spans.stream().max((x, y) -> Long.compare(x.sequenceId(), y.sequenceId())).orElseThrow();
    assertThat(last.status()).isEqualTo("ok");
    return last.backend();
  }

  @Test
  void stickyKeepsEachRolloutOnOneReplicaAndMovesOnlyTheRolloutsOfAReplicaThatIsDown() throws Exception {
    Map<String, String> placed = new HashMap<>();
    for (int call = 0; call < 4; call++) {
      for (int r = 0; r < 50; r++) {
        assertThat(gw.post("/rollout/roll-" + r + "/attempt/1" + CHAT, chat("policy")).statusCode()).isEqualTo(200);
      }
    }
    for (int r = 0; r < 50; r++) {
      List<Span> spans = gw.awaitSpans("roll-" + r, 4);
      Set<String> backends = new HashSet<>();
      spans.forEach(s -> backends.add(s.backend()));
      assertThat(backends).as("replicas of rollout %d", r).hasSize(1);
      placed.put("roll-" + r, backends.iterator().next());
    }
    assertThat(new HashSet<>(placed.values())).as("every replica gets traffic")
        .containsExactlyInAnyOrder("replica-0", "replica-1", "replica-2");

    replicas.get(1).close(); // replica-1 goes down: connections refused

    for (int r = 0; r < 50; r++) {
      assertThat(gw.post("/rollout/roll-" + r + "/attempt/1" + CHAT, chat("policy")).statusCode()).isEqualTo(200);
    }
    for (int r = 0; r < 50; r++) {
      String was = placed.get("roll-" + r);
      String now = lastBackend("roll-" + r, 5);
      if (was.equals("replica-1")) {
        assertThat(now).as("rollout %d moved off the replica that is down", r).isNotEqualTo("replica-1");
      } else {
        assertThat(now).as("rollout %d stays where it was", r).isEqualTo(was);
      }
    }
    assertThat(gw.backendStatus("policy", "replica-1").getString("state")).isEqualTo("cooldown");
  }

  @Test
  void withoutARolloutStickinessFollowsTheSessionHeadersOrTheMetadataUserId() throws Exception {
    for (int k = 0; k < 6; k++) {
      String[][] variants = {
          {"x-session-id", "session-" + k},
          {"x-claude-code-session-id", "00000000-0000-4000-8000-00000000000" + k},
          {null, "user-" + k}};
      for (String[] v : variants) {
        String body = v[0] == null
            ? chat("sessions").replace("{\"model\"", "{\"metadata\":{\"user_id\":\"" + v[1] + "\"},\"model\"")
            : chat("sessions");
        String[] headers = v[0] == null ? new String[0] : new String[] {v[0], v[1]};
        Set<Integer> served = new HashSet<>();
        for (int call = 0; call < 3; call++) {
          int[] before = hits(sessions);
          assertThat(gw.post(CHAT, body, headers).statusCode()).isEqualTo(200);
          served.add(servedBy(sessions, before));
        }
        assertThat(served).as("replicas of %s %s", v[0], v[1]).hasSize(1);
      }
    }
  }

  @Test
  void roundRobinFollowsTheWeightsSmoothly() throws Exception {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int[] before = hits(weighted);
      assertThat(gw.post(CHAT, chat("rr")).statusCode()).isEqualTo(200);
      order.add(servedBy(weighted, before));
    }
    // nginx's smooth weighted round robin with weights 3, 1, 1: a b a c a (never a a a b c)
    assertThat(order).containsExactly(0, 1, 0, 2, 0);
    for (int i = 0; i < 45; i++) {
      assertThat(gw.post(CHAT, chat("rr")).statusCode()).isEqualTo(200);
    }
    assertThat(hits(weighted)).containsExactly(30, 10, 10);
  }

  @Test
  void leastBusyPrefersTheIdleBackendAndTheHigherWeightOnATie() throws Exception {
    int[] before = hits(busy);
    assertThat(gw.post(CHAT, chat("lb")).statusCode()).isEqualTo(200);
    assertThat(servedBy(busy, before)).as("both idle: the higher weight (lb-1) wins").isEqualTo(1);

    busy.get(1).holdRequests();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> held = http.sendAsync(HttpRequest.newBuilder(URI.create(gw.url(CHAT)))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(chat("lb"))).build(),
        HttpResponse.BodyHandlers.ofString());
    try {
      RawHttp.await("lb-1 to hold a request", 10, () -> busy.get(1).hits() == before[1] + 2);
      assertThat(gw.backendStatus("lb", "lb-1").getInteger("in_flight")).isEqualTo(1);
      for (int i = 0; i < 3; i++) {
        int[] now = hits(busy);
        assertThat(gw.post(CHAT, chat("lb")).statusCode()).isEqualTo(200);
        assertThat(servedBy(busy, now)).as("lb-1 is busy: the idle lb-0 serves").isEqualTo(0);
      }
    } finally {
      busy.get(1).release();
    }
    assertThat(held.get().statusCode()).isEqualTo(200);
    RawHttp.await("lb-1 to be idle again", 10, () -> {
      try {
        return gw.backendStatus("lb", "lb-1").getInteger("in_flight") == 0;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }
}

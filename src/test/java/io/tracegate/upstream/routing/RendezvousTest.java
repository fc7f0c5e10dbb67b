package io.tracegate.upstream.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.ModelConfig;
import io.tracegate.config.Provider;
import io.tracegate.config.RetryConfig;
import io.tracegate.config.RoutingStrategy;
import io.tracegate.config.SecretRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The properties sticky routing relies on, over many keys. */
class RendezvousTest {
  private static Route route(RoutingStrategy strategy, int... weights) {
    List<BackendConfig> backends = new ArrayList<>();
    for (int i = 0; i < weights.length; i++) {
      backends.add(new BackendConfig("replica-" + i, Provider.MOCK, null, null, SecretRef.NONE, Set.of(),
          Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)).named("replica-" + i, weights[i]));
    }
    return new Route(new ModelConfig("m", backends, strategy, RetryConfig.DEFAULT,
        new io.tracegate.config.HealthConfig(1, Duration.ofMinutes(1))));
  }

  @Test
  void sharesFollowTheWeightsAndOnlyTheKeysOfARemovedBackendMove() {
    Route r = route(RoutingStrategy.STICKY, 1, 1, 2, 4);
    int keys = 40_000;
    int[] first = new int[keys];
    int[] count = new int[4];
    for (int k = 0; k < keys; k++) {
      first[k] = Route.indexOf(r.pick(StickyKeys.hash("rollout:" + k), true, 0, 0));
      count[first[k]]++;
    }
    assertThat(count[0] / (double) keys).isBetween(0.11, 0.14); // 1/8
    assertThat(count[2] / (double) keys).isBetween(0.23, 0.27); // 2/8
    assertThat(count[3] / (double) keys).isBetween(0.48, 0.52); // 4/8
    long withoutThree = 1L << 3;
    for (int k = 0; k < keys; k++) {
      int now = Route.indexOf(r.pick(StickyKeys.hash("rollout:" + k), true, 0, withoutThree));
      if (first[k] == 3) {
        assertThat(now).isNotEqualTo(3);
      } else {
        assertThat(now).isEqualTo(first[k]);
      }
    }
  }

  @Test
  void aRetryGoesToTheKeysNextRankAndEveryBackendIsReached() {
    Route r = route(RoutingStrategy.STICKY, 1, 1, 1);
    long key = StickyKeys.hash("rollout:abc");
    int a = Route.indexOf(r.pick(key, true, 0, 0));
    int b = Route.indexOf(r.pick(key, true, 1L << a, 0));
    int c = Route.indexOf(r.pick(key, true, 1L << a | 1L << b, 0));
    assertThat(Set.of(a, b, c)).hasSize(3);
    assertThat(Route.indexOf(r.pick(key, true, 0b111, 0))).as("all tried: round again").isEqualTo(a);
    assertThat(r.pick(key, true, 0, 0b111)).as("all barred").isEqualTo(-1);
  }

  @Test
  void smoothWeightedCycle() {
    Route r = route(RoutingStrategy.ROUND_ROBIN, 5, 1, 1);
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      order.append((char) ('a' + Route.indexOf(r.pick(0, false, 0, 0))));
    }
    assertThat(order.toString()).isEqualTo("aabacaa"); // nginx's example
    assertThat(SmoothWeightedRoundRobin.cycle(route(RoutingStrategy.ROUND_ROBIN, 2, 4, 6).backends()
        .toArray(new RouteBackend[0]))).hasSize(6); // 1:2:3 once the common factor is gone
  }
}

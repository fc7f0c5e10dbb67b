package io.tracegate.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Label values come from the configuration only, however many names clients invent. */
class RequestMetersTest {
  private final Metrics metrics = new Metrics(List.of("policy", "claude-*", "claude-opus-4"),
      List.of("replica-1", "replica-2"));

  @Test
  void modelLabelIsTheConfiguredNameExactBeforeGlobElseOther() {
    ModelLabels labels = new ModelLabels(List.of("policy", "claude-*", "claude-opus-4"));
    assertThat(labels.label(labels.indexOf("policy"))).isEqualTo("policy");
    assertThat(labels.label(labels.indexOf("claude-opus-4"))).isEqualTo("claude-opus-4");
    assertThat(labels.label(labels.indexOf("claude-sonnet-4-5"))).isEqualTo("claude-*");
    assertThat(labels.label(labels.indexOf("Policy"))).isEqualTo("other");
    assertThat(labels.label(labels.indexOf(null))).isEqualTo("other");
    assertThat(labels.size()).isEqualTo(4);
  }

  @Test
  void inventedModelAndBackendNamesDoNotCreateSeries() {
    for (int i = 0; i < 2_000; i++) {
      metrics.requests().record("made-up-" + i, "backend-" + i, 200, 1_000_000, -1, 500_000);
    }
    List<Timer> timers = metrics.registry().find("tracegate.request.duration").timers().stream().toList();
    assertThat(timers).hasSize(1);
    assertThat(timers.get(0).getId().getTag("model")).isEqualTo("other");
    assertThat(timers.get(0).getId().getTag("backend")).isEqualTo("other");
    assertThat(timers.get(0).count()).isEqualTo(2_000);
    assertThat(metrics.scrape()).doesNotContain("made-up-").doesNotContain("backend-1");
  }

  @Test
  void recordsIntoTheSeriesOfModelBackendAndStatusClass() {
    metrics.requests().record("claude-sonnet-4-5", "replica-2", 200, 2_000_000_000L, 300_000_000L, 1_500_000_000L);
    metrics.requests().record("claude-haiku", "replica-2", 201, 1_000_000_000L, -1, -1);
    metrics.requests().record("policy", null, 429, 1_000_000L, -1, -1);
    metrics.requests().record("policy", "replica-1", 499, 1_000_000L, -1, -1);

    Timer ok = metrics.registry().get("tracegate.request.duration")
        .tags("model", "claude-*", "backend", "replica-2", "status", "2xx").timer();
    assertThat(ok.count()).isEqualTo(2);
    assertThat(ok.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
    Timer ttft = metrics.registry().get("tracegate.time.to.first.token")
        .tags("model", "claude-*", "backend", "replica-2", "status", "2xx").timer();
    assertThat(ttft.count()).isEqualTo(1);
    assertThat(ttft.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300.0);
    assertThat(metrics.registry().get("tracegate.upstream.duration")
        .tags("model", "claude-*", "backend", "replica-2", "status", "2xx").timer().count()).isEqualTo(1);
    assertThat(metrics.registry().get("tracegate.request.duration")
        .tags("model", "policy", "backend", "none", "status", "4xx").timer().count()).isEqualTo(1);
    assertThat(metrics.registry().get("tracegate.request.duration")
        .tags("model", "policy", "backend", "replica-1", "status", "4xx").timer().count()).isEqualTo(1);
  }
}

package io.tracegate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tracegate.store.memory.MemorySpanStore;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import io.tracegate.trace.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report engine over a store: retries, errors, final rewards, percentiles, filters and paging. */
class ReportEngineTest {
  private static final long MS = 1_000_000L;

  private static Span call(String id, String rollout, long seq, long startMs, long durationMs, String status,
      int attempts, String model, Double cost) {
    List<UpstreamAttempt> tries = new ArrayList<>();
    for (int i = 0; i < attempts; i++) {
      tries.add(new UpstreamAttempt("b", i < attempts - 1 ? 529 : 200, null, 5));
    }
    return new Span(id, null, null, rollout, "1", seq, Span.KIND_LLM, "chat " + model, startMs * MS,
        (startMs + durationMs) * MS, (startMs + durationMs / 2) * MS, status, null, "anthropic", model,
        "anthropic", "b", model, new Usage(100L, 10L, 0L, 0L, null, null, 3L), cost, null, null, null, null,
        null, null, null, tries, Map.of());
  }

  private static Span reward(String id, String rollout, long seq, long atMs, double value) {
    return new Span(id, null, null, rollout, "1", seq, Span.KIND_REWARD, "reward", atMs * MS, atMs * MS, null,
        Span.STATUS_OK, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        Map.of(ReportEngine.REWARD_VALUE, value));
  }

  @Test
  void retriesErrorsFinalRewardsAndExactPercentiles() {
    MemorySpanStore store = new MemorySpanStore();
    store.append(List.of(
        call("0000000000000001", "r1", 1, 1000, 100, Span.STATUS_OK, 3, "m", 0.01),
        call("0000000000000002", "r1", 2, 2000, 200, Span.STATUS_ERROR, 1, "m", null),
        reward("0000000000000003", "r1", 4, 2500, 1.0),
        reward("0000000000000004", "r1", 3, 2600, -1.0), // an earlier sequence id: not the final reward
        call("0000000000000005", "r2", 1, 3000, 400, Span.STATUS_OK, 2, "m", 0.02),
        call("0000000000000006", "r2", 2, 4000, 300, Span.STATUS_OK, 1, "other", 0.04)));
    Report report = new ReportEngine(store, 1 << 20).run(ReportQuery.by(GroupBy.parse("rollout")));
    ReportRow r1 = report.groups().get(0);
    assertThat(r1.group()).isEqualTo("r1");
    assertThat(r1.calls()).isEqualTo(2);
    assertThat(r1.errors()).isEqualTo(1);
    assertThat(r1.retries()).isEqualTo(2);
    assertThat(r1.unpricedCalls()).isEqualTo(1);
    assertThat(r1.costUsd()).isCloseTo(0.01, within(1e-15));
    assertThat(r1.meanReward()).isEqualTo(1.0);
    assertThat(r1.positiveRollouts()).isEqualTo(1);
    assertThat(r1.latencyP50Ms()).isEqualTo(100.0);
    assertThat(r1.latencyP95Ms()).isEqualTo(200.0);
    assertThat(r1.ttftP50Ms()).isEqualTo(50.0);
    assertThat(r1.wallTimeMs()).isEqualTo(1200.0);
    ReportRow total = report.total();
    assertThat(total.calls()).isEqualTo(4);
    assertThat(total.retries()).isEqualTo(3);
    assertThat(total.rollouts()).isEqualTo(2);
    assertThat(total.rewardedRollouts()).isEqualTo(1);
    assertThat(total.latencyP50Ms()).isEqualTo(200.0);
    assertThat(total.latencyP95Ms()).isEqualTo(400.0);
    assertThat(report.unpricedCalls()).isEqualTo(1);

    ReportQuery window = new ReportQuery(GroupBy.parse("model"), null, 2500 * MS, 4000 * MS, null, Map.of(),
        false, null, false);
    Report windowed = new ReportEngine(store, 1 << 20).run(window);
    assertThat(windowed.total().calls()).isEqualTo(1); // started at or after 2500 ms and before 4000 ms
    ReportQuery other = new ReportQuery(GroupBy.parse("model"), null, null, null, "other", Map.of(), false, null,
        false);
    assertThat(new ReportEngine(store, 1 << 20).run(other).groups()).extracting(ReportRow::group)
        .containsExactly("other");
  }

  /** --since / --until select calls; their rollouts' rewards count wherever they fall in time. */
  @Test
  void aCallThatUsedNoTokensIsNotCountedAsUnpriced() {
    MemorySpanStore store = new MemorySpanStore();
    Span priced = call("0000000000000001", "r1", 1, 1000, 100, Span.STATUS_OK, 1, "m", 0.01);
    Span refused = new Span("0000000000000002", null, null, "r1", "1", 2L, Span.KIND_LLM, "chat m", 2000 * MS,
        2001 * MS, null, Span.STATUS_ERROR, "400 too many breakpoints", "anthropic", "m", "anthropic", "b", "m",
        null, null, null, null, null, null, null, null, null, List.of(), Map.of());
    Span unpriced = call("0000000000000003", "r1", 3, 3000, 100, Span.STATUS_OK, 1, "unknown-model", null);
    store.append(List.of(priced, refused, unpriced));
    Report report = new ReportEngine(store, 1 << 20).run(ReportQuery.by(GroupBy.parse("rollout")));
    assertThat(report.total().calls()).isEqualTo(3);
    assertThat(report.total().errors()).isEqualTo(1);
    assertThat(report.unpricedCalls()).as("only the call whose tokens have no price").isEqualTo(1);
  }

  @Test
  void rewardsOfCallsInTheWindowCountWhenRecordedOutsideIt() {
    MemorySpanStore store = new MemorySpanStore();
    store.append(List.of(
        reward("0000000000000011", "early", 1, 1000, 0.5), // a reward recorded before the window (a resumed rollout)
        call("0000000000000012", "early", 2, 5000, 100, Span.STATUS_OK, 1, "m", 0.01),
        call("0000000000000013", "late", 1, 6000, 100, Span.STATUS_OK, 1, "m", 0.01),
        reward("0000000000000014", "late", 2, 9000, 1.0))); // after the window
    ReportQuery window = new ReportQuery(GroupBy.parse("rollout"), null, 4000 * MS, 8000 * MS, null, Map.of(),
        false, null, false);
    Report report = new ReportEngine(store, 1 << 20).run(window);
    assertThat(report.groups()).extracting(ReportRow::group).containsExactly("early", "late");
    assertThat(report.groups().get(0).meanReward()).isEqualTo(0.5);
    assertThat(report.groups().get(1).meanReward()).isEqualTo(1.0);
    assertThat(report.total().rewardedRollouts()).isEqualTo(2);
    assertThat(report.total().meanReward()).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void manyCallsStreamPageByPageWithBoundedPercentiles() {
    MemorySpanStore store = new MemorySpanStore();
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 3000; i++) {
      spans.add(call(String.format("%016x", i), "big", i, i * 10L, i, Span.STATUS_OK, 1, "m", 0.001));
    }
    store.append(spans);
    // a tiny byte budget forces many pages
    ReportRow big = new ReportEngine(store, 4096).run(ReportQuery.by(GroupBy.ROLLOUT)).groups().get(0);
    assertThat(big.calls()).isEqualTo(3000);
    assertThat(big.costUsd()).isCloseTo(3.0, within(1e-9));
    // beyond the exact limit the sketch is an HdrHistogram with 3 significant digits
    assertThat(big.latencyP50Ms()).isCloseTo(1500.0, within(1500.0 * 0.001 + 1e-9));
    assertThat(big.latencyP95Ms()).isCloseTo(2850.0, within(2850.0 * 0.001 + 1e-9));
  }

  @Test
  void groupingAndQueryErrorsNameWhatIsAccepted() {
    assertThat(GroupBy.parse("tag:strategy").id()).isEqualTo("tag:strategy");
    assertThatThrownBy(() -> GroupBy.parse("colour")).hasMessageContaining("rollout, attempt, model");
    assertThatThrownBy(() -> new ReportQuery(GroupBy.parse("model"), null, null, null, null, Map.of(), true, null,
        false)).hasMessageContaining("tag:KEY");
    assertThatThrownBy(() -> new ReportQuery(GroupBy.ROLLOUT, null, null, null, null, Map.of(), false, null, true))
        .hasMessageContaining("rollout");
  }
}

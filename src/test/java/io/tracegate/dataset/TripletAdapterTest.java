package io.tracegate.dataset;

import static io.tracegate.dataset.Spans.call;
import static io.tracegate.dataset.Spans.ids;
import static io.tracegate.dataset.Spans.reward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tracegate.trace.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TripletAdapterTest {

  private static final TripletAdapter MATCHED = new TripletAdapter(AdapterOptions.DEFAULT);

  /** Calls at 2, 4, 6 and rewards 0.1@5, 0.2@7, 0.3@8, shuffled: the rollout of the Agent Lightning example. */
  private static List<Span> example246() {
    List<Span> spans = new ArrayList<>(List.of(
        call("c2", 2, ids(1, 2), ids(3)),
        call("c4", 4, ids(1, 2, 3, 9), ids(4)),
        call("c6", 6, ids(1, 2, 3, 9, 4, 9), ids(5, 6)),
        reward("w5", 5, 0.1), reward("w7", 7, 0.2), reward("w8", 8, 0.3)));
    Collections.shuffle(spans, new Random(42));
    return spans;
  }

  private static List<Double> rewards(AdapterResult result) {
    return result.triplets().stream().map(Triplet::reward).toList();
  }

  @Test
  void matchedIsAgentLightningExactly() {
    AdapterResult result = MATCHED.adapt(example246());

    assertThat(result.triplets()).extracting(Triplet::spanId).containsExactly("c2", "c4", "c6");
    assertThat(result.triplets()).extracting(Triplet::turn).containsExactly(0L, 1L, 2L);
    assertThat(rewards(result)).containsExactly(0.3, 0.1, 0.2);
    assertThat(result.triplets().get(0).rewards()).isEqualTo(Map.of("reward", 0.3));
    assertThat(result.skipped()).isEmpty();
  }

  @Test
  void tripletCarriesTheCallsFields() {
    Triplet t = MATCHED.adapt(example246()).triplets().get(2);

    assertThat(t.rolloutId()).isEqualTo("r1");
    assertThat(t.attemptId()).isEqualTo("a1");
    assertThat(t.sequenceId()).isEqualTo(6L);
    assertThat(t.model()).isEqualTo("Qwen/Qwen3-8B");
    assertThat(t.promptTokenIds()).containsExactly(1, 2, 3, 9, 4, 9);
    assertThat(t.responseTokenIds()).containsExactly(5, 6);
    assertThat(t.responseLogprobs()).containsExactly(-0.25, -0.5);
    assertThat(t.messages()).isEqualTo("[{\"role\":\"user\",\"content\":\"q6\"}]");
    assertThat(t.responseText()).isEqualTo("answer 6");
    assertThat(t.lossMask()).isNull();
  }

  @Test
  void unrewardedCallsHaveANullRewardNeverZero() {
    AdapterResult result = MATCHED.adapt(List.of(call("c2", 2, ids(1), ids(2)), call("c4", 4, ids(1, 2), ids(3)),
        reward("w5", 5, 1.0)));

    assertThat(rewards(result)).containsExactly(null, 1.0);
    assertThat(result.triplets().get(0).rewards()).isEmpty();
  }

  @Test
  void lastGivesTheFinalRewardToTheLastCallOnly() {
    AdapterResult result = new TripletAdapter(AdapterOptions.parse("last", false)).adapt(example246());

    assertThat(rewards(result)).containsExactly(null, null, 0.3);
    assertThat(result.skipped()).containsExactlyEntriesOf(Map.of("superseded_reward", 2L));
  }

  @Test
  void broadcastGivesEveryCallTheFinalReward() {
    AdapterResult result = new TripletAdapter(AdapterOptions.parse("broadcast", false)).adapt(example246());

    assertThat(rewards(result)).containsExactly(0.3, 0.3, 0.3);
  }

  @Test
  void discountedScalesTheFinalRewardByGammaPerTurnBeforeTheLast() {
    AdapterResult result = new TripletAdapter(AdapterOptions.parse("discounted:0.5", false)).adapt(example246());

    assertThat(rewards(result)).containsExactly(0.075, 0.15, 0.3);
    AdapterResult g9 = new TripletAdapter(AdapterOptions.parse("Discounted:0.9", false)).adapt(example246());
    assertThat(g9.triplets().get(0).reward()).isCloseTo(0.3 * 0.81, within(1e-12));
  }

  @Test
  void aRewardWithASpanIdGoesToThatCallInEveryMode() {
    List<Span> spans = new ArrayList<>(example246());
    spans.add(reward("w9", 9, null, 0.9, "c4"));

    // c4 was claimed by the targeted reward, so 0.1@5 goes to c2, 0.2@7 to c6, 0.3@8 finds nothing left.
    AdapterResult matched = MATCHED.adapt(spans);
    assertThat(rewards(matched)).containsExactly(0.1, 0.9, 0.2);
    assertThat(matched.skipped()).containsExactlyEntriesOf(Map.of("unmatched_reward", 1L));

    // The targeted reward is not the "final" one of a mode, and the mode never overwrites it.
    AdapterResult broadcast = new TripletAdapter(AdapterOptions.parse("broadcast", false)).adapt(spans);
    assertThat(rewards(broadcast)).containsExactly(0.3, 0.9, 0.3);

    AdapterResult missingTarget = MATCHED.adapt(List.of(call("c2", 2, ids(1), ids(2)),
        reward("w3", 3, null, 1.0, "nope")));
    assertThat(rewards(missingTarget)).containsExactly((Double) null);
    assertThat(missingTarget.skipped()).containsEntry("unmatched_reward", 1L);
  }

  @Test
  void namedRewardsAreMatchedPerNameAndSummedIntoReward() {
    AdapterResult result = MATCHED.adapt(List.of(
        call("c2", 2, ids(1), ids(2)),
        call("c4", 4, ids(1, 2, 7), ids(3)),
        reward("w5", 5, "accuracy", 1.0, null),
        reward("w6", 6, "format", 0.25, null),
        reward("w7", 7, "accuracy", 0.5, null)));

    Triplet c2 = result.triplets().get(0);
    Triplet c4 = result.triplets().get(1);
    assertThat(c4.rewards()).containsExactly(Map.entry("accuracy", 1.0), Map.entry("format", 0.25));
    assertThat(c4.reward()).isEqualTo(1.25);
    assertThat(c2.rewards()).containsExactly(Map.entry("accuracy", 0.5));
    assertThat(c2.reward()).isEqualTo(0.5);

    AdapterResult last = new TripletAdapter(AdapterOptions.parse("last", false)).adapt(List.of(
        call("c2", 2, ids(1), ids(2)), reward("w3", 3, "accuracy", 1.0, null), reward("w4", 4, "format", 0.5, null)));
    assertThat(last.triplets().get(0).rewards()).containsExactly(Map.entry("accuracy", 1.0), Map.entry("format", 0.5));
  }

  @Test
  void repeatsOfAResponseIdAreDroppedKeepingTheFirst() {
    AdapterResult result = MATCHED.adapt(List.of(
        call("c2", "r1", "a1", 2, ids(1), ids(2), null, "chatcmpl-same"),
        call("c3", "r1", "a1", 3, ids(1), ids(2), null, "chatcmpl-same"),
        call("c4", "r1", "a1", 4, ids(1), ids(2), null, null),
        call("c5", "r1", "a1", 5, ids(1), ids(2), null, null),
        reward("w6", 6, 1.0)));

    assertThat(result.triplets()).extracting(Triplet::spanId).containsExactly("c2", "c4", "c5");
    assertThat(result.triplets().get(0).responseLogprobs()).isNull();
    assertThat(rewards(result)).containsExactly(null, null, 1.0);
    assertThat(result.skipped()).containsExactlyEntriesOf(Map.of("duplicate_response_id", 1L));
  }

  @Test
  void aCallDroppedForItsLogprobCountDoesNotClaimItsResponseId() {
    // Agent Lightning checks logprobs before the repeated id: the dropped call never registers the id, so a
    // later valid call with the same id still yields a triplet (and takes the reward).
    AdapterResult result = MATCHED.adapt(List.of(
        call("bad", "r1", "a1", 2, ids(1), ids(2, 3), new double[] {-1.0}, "chatcmpl-retry"),
        call("good", "r1", "a1", 3, ids(1), ids(2, 3), new double[] {-1.0, -2.0}, "chatcmpl-retry"),
        call("again", "r1", "a1", 4, ids(1), ids(2, 3), new double[] {-1.0, -2.0}, "chatcmpl-retry"),
        reward("w5", 5, 1.0)));

    assertThat(result.triplets()).extracting(Triplet::spanId).containsExactly("good");
    assertThat(rewards(result)).containsExactly(1.0);
    assertThat(result.skipped()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "logprob_count_mismatch", 1L, "duplicate_response_id", 1L));
  }

  @Test
  void anthropicResponsesGiveTheirIdAndConcatenatedText() {
    Span a = Spans.withContent(call("c1", 1, ids(1), ids(2)), Spans.json("{\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}],\"system\":\"s\"}"), Spans.json("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":["
        + "{\"type\":\"thinking\",\"thinking\":\"hmm\"},{\"type\":\"text\",\"text\":\"Hel\"},"
        + "{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"x\",\"input\":{}},{\"type\":\"text\",\"text\":\"lo\"}]}"),
        Spans.json("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]}"));
    Span dup = Spans.withId(a, "c2");
    Span noUpstream = Spans.withContent(call("c3", 3, ids(1), ids(2)),
        Spans.json("{\"messages\":[{\"role\":\"user\",\"content\":\"direct\"}]}"),
        Spans.json("{\"id\":\"x3\",\"choices\":[{\"message\":{\"content\":null,\"tool_calls\":[]}}]}"), null);

    AdapterResult result = MATCHED.adapt(List.of(a, dup, noUpstream));

    assertThat(result.triplets()).hasSize(2);
    assertThat(result.triplets().get(0).responseText()).isEqualTo("Hello");
    assertThat(result.triplets().get(0).messages())
        .isEqualTo("[{\"role\":\"system\",\"content\":\"s\"},{\"role\":\"user\",\"content\":\"hi\"}]");
    assertThat(result.triplets().get(1).messages()).isEqualTo("[{\"role\":\"user\",\"content\":\"direct\"}]");
    assertThat(result.triplets().get(1).responseText()).isNull();
    assertThat(result.skipped()).containsExactlyEntriesOf(Map.of("duplicate_response_id", 1L));
  }

  @Test
  void countsEverySkipByReasonAndSkippedCallsNeverTakeARewardAway() {
    Span invalidReward = new Span("bad", null, null, "r1", "a1", 9L, Span.KIND_REWARD, "reward", 9, 9, null,
        Span.STATUS_OK, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        Map.of(RewardSpans.VALUE, "not a number"));
    AdapterResult result = MATCHED.adapt(List.of(
        call("ok1", 1, ids(1), ids(2)),
        Spans.withStatus(call("err", 2, ids(1), ids(2)), Span.STATUS_ERROR),
        Spans.withStatus(call("cancel", 3, ids(1), ids(2)), Span.STATUS_CANCELLED),
        call("noPrompt", "r1", "a1", 4, null, ids(2), null, "p4"),
        call("noResponse", "r1", "a1", 5, ids(1), new int[0], null, "p5"),
        call("mismatch", "r1", "a1", 6, ids(1), ids(2, 3), new double[] {-1.0}, "p6"),
        reward("w7", 7, 1.0),
        reward("w8", 8, 2.0),
        invalidReward));

    assertThat(result.triplets()).extracting(Triplet::spanId).containsExactly("ok1");
    assertThat(rewards(result)).containsExactly(1.0);
    assertThat(result.skipped()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "error_status", 2L, "missing_token_ids", 2L, "logprob_count_mismatch", 1L,
        "unmatched_reward", 1L, "invalid_reward", 1L));
  }

  @Test
  void rewardOptionsParseAndRejectWithTheAcceptedForms() {
    assertThat(AdapterOptions.parse(null, false)).isEqualTo(AdapterOptions.DEFAULT);
    assertThat(AdapterOptions.parse(" LAST ", true)).isEqualTo(new AdapterOptions(RewardMode.LAST, 1.0, true));
    assertThat(AdapterOptions.parse("discounted:0.9", false).gamma()).isEqualTo(0.9);
    assertThat(new AdapterOptions(RewardMode.MATCHED, 0.5, false).gamma()).isEqualTo(1.0);
    for (String bad : List.of("discounted", "discounted:x", "discounted:1.5", "last:1", "best")) {
      assertThatThrownBy(() -> AdapterOptions.parse(bad, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad)
          .hasMessageContaining("discounted:<gamma>");
    }
  }

  @Test
  void rewardSpansCarryTheirAttributes() {
    Span r = RewardSpans.reward("r9", null, 12, null, 0.5, "abc", 77);

    assertThat(r.kind()).isEqualTo(Span.KIND_REWARD);
    assertThat(r.rolloutId()).isEqualTo("r9");
    assertThat(r.sequenceId()).isEqualTo(12L);
    assertThat(r.spanId()).hasSize(16);
    assertThat(r.startTimeUnixNano()).isEqualTo(77);
    assertThat(RewardSpans.name(r)).isEqualTo("reward");
    assertThat(RewardSpans.value(r)).isEqualTo(0.5);
    assertThat(RewardSpans.targetSpanId(r)).isEqualTo("abc");
    assertThat(r.attributes()).containsEntry(RewardSpans.NAME, "reward").containsEntry(RewardSpans.VALUE, 0.5);
    assertThatThrownBy(() -> RewardSpans.reward("r", null, 1, "x", Double.NaN, null, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

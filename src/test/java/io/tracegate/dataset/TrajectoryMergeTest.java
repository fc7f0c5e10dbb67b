package io.tracegate.dataset;

import static io.tracegate.dataset.Spans.ids;
import static io.tracegate.dataset.Spans.reward;
import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.trace.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrajectoryMergeTest {

  private static Span turn(String id, long seq, int[] prompt, int[] response, double[] logprobs) {
    return Spans.call(id, "r1", "a1", seq, prompt, response, logprobs, "resp-" + id);
  }

  /** Three turns whose prompts extend (tool output 20,21 then 22 inserted), then one that starts over. */
  private static List<Span> conversation(double[] secondTurnLogprobs) {
    return List.of(
        turn("t0", 1, ids(1, 2, 3), ids(10, 11), new double[] {-1, -2}),
        turn("t1", 2, ids(1, 2, 3, 10, 11, 20, 21), ids(12), secondTurnLogprobs),
        turn("t2", 3, ids(1, 2, 3, 10, 11, 20, 21, 12, 22), ids(13, 14), new double[] {-4, -5}),
        reward("w4", 4, 1.0),
        reward("w4b", 4, "step", 0.1, "t0"),
        turn("t3", 5, ids(1, 2, 99), ids(15), new double[] {-6}),
        reward("w6", 6, 0.5));
  }

  @Test
  void joinsExtendingTurnsWithALossMaskAndStartsOverWhenAPromptDoesNotExtend() {
    AdapterResult result = new TripletAdapter(AdapterOptions.parse("matched", true)).adapt(conversation(
        new double[] {-3}));

    assertThat(result.triplets()).hasSize(2);
    Triplet merged = result.triplets().get(0);
    assertThat(merged.promptTokenIds()).containsExactly(1, 2, 3);
    assertThat(merged.responseTokenIds()).containsExactly(10, 11, 20, 21, 12, 22, 13, 14);
    assertThat(merged.lossMask()).containsExactly(1, 1, 0, 0, 1, 0, 1, 1);
    assertThat(merged.responseLogprobs()).containsExactly(-1, -2, 0, 0, -3, 0, -4, -5);
    assertThat(merged.turn()).isZero();
    // Identity, text and messages of the last turn; per name, the latest turn's reward.
    assertThat(merged.spanId()).isEqualTo("t2");
    assertThat(merged.sequenceId()).isEqualTo(3L);
    assertThat(merged.responseText()).isEqualTo("answer 3");
    assertThat(merged.messages()).contains("q3");
    assertThat(merged.rewards()).containsExactly(Map.entry("reward", 1.0), Map.entry("step", 0.1));
    assertThat(merged.reward()).isEqualTo(1.1);

    Triplet fresh = result.triplets().get(1);
    assertThat(fresh.turn()).isEqualTo(1);
    assertThat(fresh.promptTokenIds()).containsExactly(1, 2, 99);
    assertThat(fresh.responseTokenIds()).containsExactly(15);
    assertThat(fresh.lossMask()).containsExactly(1);
    assertThat(fresh.responseLogprobs()).containsExactly(-6);
    assertThat(fresh.reward()).isEqualTo(0.5);
    assertThat(fresh.spanId()).isEqualTo("t3");
  }

  @Test
  void aConversationInterleavedWithAnotherStillMergesAlongItsBranch() {
    // the documented example with call 3 (another conversation) between calls 1 and 2
    AdapterResult result = new TripletAdapter(AdapterOptions.parse("matched", true)).adapt(List.of(
        turn("t0", 1, ids(1, 2, 3), ids(10, 11), new double[] {-1, -2}),
        turn("t1", 2, ids(1, 2, 3, 10, 11, 20, 21), ids(12), new double[] {-3}),
        turn("t3", 3, ids(1, 2, 99), ids(15), new double[] {-6}),
        turn("t2", 4, ids(1, 2, 3, 10, 11, 20, 21, 12, 22), ids(13, 14), new double[] {-4, -5})));

    assertThat(result.triplets()).hasSize(2);
    Triplet lead = result.triplets().get(0);
    assertThat(lead.responseTokenIds()).containsExactly(10, 11, 20, 21, 12, 22, 13, 14);
    assertThat(lead.lossMask()).containsExactly(1, 1, 0, 0, 1, 0, 1, 1);
    assertThat(lead.responseLogprobs()).containsExactly(-1, -2, 0, 0, -3, 0, -4, -5);
    assertThat(lead.branch()).isZero();
    assertThat(lead.turns()).isEqualTo(3);
    assertThat(lead.spanId()).isEqualTo("t2");
    Triplet other = result.triplets().get(1);
    assertThat(other.promptTokenIds()).containsExactly(1, 2, 99);
    assertThat(other.branch()).isEqualTo(1L);
    assertThat(other.turns()).isEqualTo(1);
    assertThat(result.continuing()).isEqualTo(2);
    assertThat(result.drift()).isEmpty();

    // merging only consecutive calls (agl-v1) cuts the lead conversation in two
    AdapterResult consecutive = new TripletAdapter(AdapterOptions.parse("matched", true)
        .withSemantics(Semantics.AGL_V1)).adapt(List.of(
            turn("t0", 1, ids(1, 2, 3), ids(10, 11), null),
            turn("t1", 2, ids(1, 2, 3, 10, 11, 20, 21), ids(12), null),
            turn("t3", 3, ids(1, 2, 99), ids(15), null),
            turn("t2", 4, ids(1, 2, 3, 10, 11, 20, 21, 12, 22), ids(13, 14), null)));
    assertThat(consecutive.triplets()).hasSize(3);
  }

  @Test
  void aSampleWithATurnWithoutLogprobsHasNone() {
    AdapterResult result = new TripletAdapter(AdapterOptions.parse("last", true)).adapt(conversation(null));

    assertThat(result.triplets().get(0).responseLogprobs()).isNull();
    assertThat(result.triplets().get(0).lossMask()).containsExactly(1, 1, 0, 0, 1, 0, 1, 1);
    assertThat(result.triplets().get(1).responseLogprobs()).containsExactly(-6);
    // LAST: only the final sample carries the final reward; the targeted step reward stays on its sample.
    assertThat(result.triplets()).extracting(Triplet::reward).containsExactly(0.1, 0.5);
  }

  @Test
  void aTurnWhosePromptRepeatsThePreviousExactlyStillExtends() {
    AdapterResult result = new TripletAdapter(AdapterOptions.parse("matched", true)).adapt(List.of(
        turn("t0", 1, ids(1), ids(2), null),
        turn("t1", 2, ids(1, 2), ids(3), null),
        turn("t2", 3, ids(1, 2), ids(4), null)));

    assertThat(result.triplets()).hasSize(2);
    assertThat(result.triplets().get(0).responseTokenIds()).containsExactly(2, 3);
    assertThat(result.triplets().get(0).lossMask()).containsExactly(1, 1);
    assertThat(result.triplets().get(1).promptTokenIds()).containsExactly(1, 2);
  }
}

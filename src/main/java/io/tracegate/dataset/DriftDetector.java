package io.tracegate.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds retokenization drift in one attempt's calls: a call continues an earlier one when its prompt ids start
 * with that call's prompt + response ids (tokens), or else when its messages start with that call's messages
 * followed by an assistant message (the earlier answer, as the client sent it back). A call that continues by
 * messages but by no earlier call's tokens is a {@link DriftCase}: merge mode cannot join it, and training on its
 * prompt trains on a history the policy never produced. Memory: the attempt's calls, their messages parsed once.
 */
final class DriftDetector {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param continuing calls that continue an earlier call of the attempt, by tokens or by messages
   * @param cases the calls among them that continue by messages only
   */
  record Result(long continuing, List<DriftCase> cases) {
    static final Result NONE = new Result(0, List.of());
  }

  private DriftDetector() {}

  /** @param calls one attempt's triplets (single calls, not merged) in call order */
  static Result detect(List<Triplet> calls) {
    if (calls.size() < 2) {
      return Result.NONE;
    }
    JsonNode[] messages = new JsonNode[calls.size()];
    long continuing = 0;
    List<DriftCase> cases = new ArrayList<>();
    for (int i = 1; i < calls.size(); i++) {
      Triplet call = calls.get(i);
      if (extendsTokensOfAnEarlierCall(calls, i)) {
        continuing++;
        continue;
      }
      int earlier = continuedByMessages(calls, messages, i);
      if (earlier < 0) {
        continue; // a new conversation (sub-agent, side call): not drift
      }
      continuing++;
      cases.add(driftCase(call, calls.get(earlier)));
    }
    return new Result(continuing, cases);
  }

  private static boolean extendsTokensOfAnEarlierCall(List<Triplet> calls, int i) {
    int[] next = calls.get(i).promptTokenIds();
    for (int j = i - 1; j >= 0; j--) {
      int[] prompt = calls.get(j).promptTokenIds();
      int[] response = calls.get(j).responseTokenIds();
      if (next.length >= prompt.length + response.length
          && Arrays.equals(next, 0, prompt.length, prompt, 0, prompt.length)
          && Arrays.equals(next, prompt.length, prompt.length + response.length, response, 0, response.length)) {
        return true;
      }
    }
    return false;
  }

  /** The earlier call whose messages + an assistant message this call's messages start with (longest), or -1. */
  private static int continuedByMessages(List<Triplet> calls, JsonNode[] messages, int i) {
    JsonNode mine = messages(calls, messages, i);
    if (mine == null) {
      return -1;
    }
    int best = -1;
    int bestSize = -1;
    for (int j = i - 1; j >= 0; j--) {
      JsonNode theirs = messages(calls, messages, j);
      if (theirs == null || theirs.size() <= bestSize || mine.size() <= theirs.size()
          || !"assistant".equals(mine.get(theirs.size()).path("role").asText())) {
        continue;
      }
      boolean prefix = true;
      for (int k = 0; k < theirs.size() && prefix; k++) {
        prefix = theirs.get(k).equals(mine.get(k));
      }
      if (prefix) {
        best = j;
        bestSize = theirs.size();
      }
    }
    return best;
  }

  private static JsonNode messages(List<Triplet> calls, JsonNode[] parsed, int i) {
    if (parsed[i] == null && calls.get(i).messages() != null) {
      try {
        JsonNode node = JSON.readTree(calls.get(i).messages());
        parsed[i] = node.isArray() ? node : JSON.createArrayNode();
      } catch (JsonProcessingException e) {
        parsed[i] = JSON.createArrayNode();
      }
    }
    return parsed[i];
  }

  private static DriftCase driftCase(Triplet call, Triplet earlier) {
    int[] prompt = call.promptTokenIds();
    int[] expected = new int[earlier.promptTokenIds().length + earlier.responseTokenIds().length];
    System.arraycopy(earlier.promptTokenIds(), 0, expected, 0, earlier.promptTokenIds().length);
    System.arraycopy(earlier.responseTokenIds(), 0, expected, earlier.promptTokenIds().length,
        earlier.responseTokenIds().length);
    int position = Arrays.mismatch(prompt, expected);
    if (position < 0) {
      position = prompt.length; // equal arrays cannot happen here (the prompt would extend), kept total
    }
    return new DriftCase(call.rolloutId(), call.attemptId(), call.spanId(), call.sequenceId(), earlier.spanId(),
        earlier.sequenceId(), position, prompt.length, expected.length,
        position < prompt.length ? prompt[position] : null, position < expected.length ? expected[position] : null);
  }
}

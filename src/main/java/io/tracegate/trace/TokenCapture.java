package io.tracegate.trace;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Token ids and logprobs found in an OpenAI-shaped (vLLM) response: top-level {@code prompt_token_ids},
 * the first choice's {@code token_ids}, and its logprobs (chat: {@code logprobs.content[].logprob};
 * completions: {@code logprobs.token_logprobs}). Absent fields stay null.
 */
record TokenCapture(int[] promptTokenIds, int[] responseTokenIds, double[] responseLogprobs) {
  static final TokenCapture NONE = new TokenCapture(null, null, null);

  static TokenCapture from(JsonNode response) {
    if (response == null || !response.isObject()) {
      return NONE;
    }
    JsonNode choice = response.path("choices").path(0);
    JsonNode logprobs = choice.path("logprobs");
    double[] lp = null;
    if (logprobs.path("content").isArray()) {
      JsonNode content = logprobs.get("content");
      lp = new double[content.size()];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = content.get(i).path("logprob").asDouble();
      }
    } else if (logprobs.path("token_logprobs").isArray()) {
      JsonNode values = logprobs.get("token_logprobs");
      lp = new double[values.size()];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = values.get(i).asDouble();
      }
    }
    // chat responses carry prompt ids at the top level; completions (like vLLM) per choice
    JsonNode promptIds = response.has("prompt_token_ids") ? response.get("prompt_token_ids")
        : choice.get("prompt_token_ids");
    return new TokenCapture(ints(promptIds), ints(choice.get("token_ids")), lp);
  }

  private static int[] ints(JsonNode array) {
    if (array == null || !array.isArray()) {
      return null;
    }
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }
}

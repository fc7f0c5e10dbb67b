package io.tracegate.config;

/** Extra data requested from an OpenAI-compatible backend on every call (vLLM field names). */
public enum Capture {
  /** {@code return_token_ids: true}: prompt and response token ids. */
  TOKEN_IDS("token_ids"),
  /** {@code logprobs}: per-token log probabilities of the response. */
  LOGPROBS("logprobs");

  private final String id;

  Capture(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}

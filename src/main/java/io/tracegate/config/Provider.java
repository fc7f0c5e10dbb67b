package io.tracegate.config;

/** Wire protocol a backend speaks. {@code OPENAI} covers every OpenAI-compatible server (vLLM, SGLang...). */
public enum Provider {
  OPENAI("openai"),
  ANTHROPIC("anthropic"),
  MOCK("mock");

  private final String id;

  Provider(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}

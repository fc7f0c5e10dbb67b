package io.tracegate.testing;

import java.util.List;

/**
 * A model answer described once, independent of protocol, so fake upstreams can render it as an OpenAI or an
 * Anthropic response, streamed or not, and tests can compare what clients of every protocol assemble.
 */
public record ScriptedAnswer(String name, List<Part> parts, Stop stop, int inputTokens, int outputTokens,
    int cachedInputTokens) {

  public sealed interface Part permits Text, Tool, Reasoning {}

  public record Text(String text) implements Part {}

  /** @param argumentsJson compact JSON object text */
  public record Tool(String id, String name, String argumentsJson) implements Part {}

  public record Reasoning(String text) implements Part {}

  public enum Stop { END, MAX_TOKENS, TOOL_USE }

  public static ScriptedAnswer plainText() {
    return new ScriptedAnswer("plain text", List.of(new Text("The capital of France is Paris.")), Stop.END,
        25, 8, 0);
  }

  public static ScriptedAnswer oneToolCall() {
    return new ScriptedAnswer("one tool call",
        List.of(new Tool("call_weather_1", "get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}")),
        Stop.TOOL_USE, 120, 30, 64);
  }

  public static ScriptedAnswer parallelToolCalls() {
    return new ScriptedAnswer("parallel tool calls", List.of(
        new Tool("call_a", "read_file", "{\"path\":\"/src/Main.java\"}"),
        new Tool("call_b", "read_file", "{\"path\":\"/src/Util.java\",\"lines\":[1,2,3]}"),
        new Tool("call_c", "list_dir", "{\"path\":\"/src\",\"recursive\":false}")),
        Stop.TOOL_USE, 300, 60, 256);
  }

  public static ScriptedAnswer textThenToolCall() {
    return new ScriptedAnswer("text then tool call", List.of(
        new Text("Let me check the weather for you."),
        new Tool("call_w", "get_weather", "{\"city\":\"Tokyo\",\"days\":3,\"nested\":{\"a\":[true,null,\"x\"]}}")),
        Stop.TOOL_USE, 150, 40, 0);
  }

  public static ScriptedAnswer longOutput() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      sb.append("Line ").append(i).append(": the quick brown fox jumps over the lazy dog. ");
    }
    return new ScriptedAnswer("long output", List.of(new Text(sb.toString())), Stop.END, 40, 2400, 0);
  }

  public static ScriptedAnswer maxTokensStop() {
    return new ScriptedAnswer("max_tokens stop", List.of(new Text("This answer is cut off in the mid")),
        Stop.MAX_TOKENS, 30, 16, 0);
  }

  public static ScriptedAnswer reasoningThenText() {
    return new ScriptedAnswer("reasoning then text", List.of(
        new Reasoning("The user asks 2+2. That is 4."), new Text("2 + 2 = 4.")), Stop.END, 20, 25, 0);
  }

  public static List<ScriptedAnswer> equivalenceCases() {
    return List.of(plainText(), oneToolCall(), parallelToolCalls(), textThenToolCall(), longOutput(),
        maxTokensStop());
  }

  @Override
  public String toString() {
    return name;
  }
}

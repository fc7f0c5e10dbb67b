package io.tracegate.cli;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * The README's "same from code" snippets with the official Java SDKs, configured only from the environment
 * ({@code fromEnv()}: {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code ANTHROPIC_BASE_URL},
 * {@code ANTHROPIC_API_KEY}), as a user's program would be. Run by {@link ReadmeQuickstartTest} in the README's
 * shell; an SDK that finds no key throws, and the non-zero exit fails the test.
 */
public final class ReadmeSdkCheck {
  private ReadmeSdkCheck() {}

  public static void main(String[] args) {
    OpenAIClient openAi = OpenAIOkHttpClient.fromEnv();
    AnthropicClient anthropic = AnthropicOkHttpClient.fromEnv();
    try {
      System.out.println("openai-sdk: " + openAi.chat().completions().create(ChatCompletionCreateParams.builder()
          .model("vllm-mock").addUserMessage("hello").build()).choices().get(0).message().content().orElse(""));
      System.out.println("anthropic-sdk: " + anthropic.messages().create(MessageCreateParams.builder()
          .model("claude-sonnet-4-5").maxTokens(64).addUserMessage("hello").build())
          .content().get(0).asText().text());
    } finally {
      openAi.close();
      anthropic.close();
    }
  }
}

package io.tracegate.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.protocol.anthropic.AnthropicStreamAssembler;
import io.tracegate.protocol.openai.ChatStreamAssembler;
import io.tracegate.protocol.openai.CompletionStreamAssembler;
import io.tracegate.protocol.translate.AnthropicToOpenAiResponse;
import io.tracegate.protocol.translate.OpenAiToAnthropicResponse;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds what a call answered, in non-stream form: assembles recorded stream payloads in the backend's
 * protocol, and translates a whole answer into the client's protocol when the call was translated. Because
 * the streaming translators are tested to be equivalent to the non-stream ones, the translated whole answer
 * is what a streaming client assembled.
 */
final class StreamAssembly {
  private StreamAssembly() {}

  static JsonNode assemble(List<byte[]> payloads, String protocol, String operation) {
    if ("anthropic".equals(protocol)) {
      AnthropicStreamAssembler assembler = new AnthropicStreamAssembler();
      feedAll(payloads, assembler::feed);
      return assembler.result();
    }
    if (GenAiAttributes.OPERATION_TEXT_COMPLETION.equals(operation)) {
      CompletionStreamAssembler assembler = new CompletionStreamAssembler();
      feedAllBytes(payloads, assembler::feed);
      return assembler.result();
    }
    ChatStreamAssembler assembler = new ChatStreamAssembler();
    feedAllBytes(payloads, assembler::feed);
    return assembler.result();
  }

  /** Feeds each payload that parses to a JSON object; anything else (comments, garbage) is skipped. */
  private static void feedAll(List<byte[]> payloads, Consumer<JsonNode> feed) {
    for (byte[] data : payloads) {
      JsonNode node = Recorder.parse(data);
      if (node != null && node.isObject()) {
        feed.accept(node);
      }
    }
  }

  /**
   * The same for assemblers that read a payload's bytes themselves (skipping what they do not need instead
   * of building a tree of the whole chunk); they ignore a non-object and throw, applying nothing, on one
   * that is not JSON.
   */
  private static void feedAllBytes(List<byte[]> payloads, Consumer<byte[]> feed) {
    for (byte[] data : payloads) {
      try {
        feed.accept(data);
      } catch (UncheckedIOException notJson) {
        // skipped, like a payload that does not parse to an object
      }
    }
  }

  /** The whole upstream answer in the client's protocol. */
  static JsonNode translate(JsonNode upstream, String frontendProtocol, String frontendModel) {
    return "anthropic".equals(frontendProtocol)
        ? OpenAiToAnthropicResponse.translate(upstream, frontendModel)
        : AnthropicToOpenAiResponse.translate(upstream, frontendModel);
  }
}

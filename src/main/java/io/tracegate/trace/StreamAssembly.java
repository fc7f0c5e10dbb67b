package io.tracegate.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.protocol.anthropic.AnthropicStreamAssembler;
import io.tracegate.protocol.openai.ChatStreamAssembler;
import io.tracegate.protocol.openai.CompletionStreamAssembler;
import io.tracegate.protocol.translate.AnthropicToOpenAiResponse;
import io.tracegate.protocol.translate.OpenAiToAnthropicResponse;
import java.util.List;

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
      for (byte[] data : payloads) {
        JsonNode event = Recorder.parse(data);
        if (event != null && event.isObject()) {
          assembler.feed(event);
        }
      }
      return assembler.result();
    }
    if (GenAiAttributes.OPERATION_TEXT_COMPLETION.equals(operation)) {
      CompletionStreamAssembler assembler = new CompletionStreamAssembler();
      for (byte[] data : payloads) {
        JsonNode chunk = Recorder.parse(data);
        if (chunk != null && chunk.isObject()) {
          assembler.feed(chunk);
        }
      }
      return assembler.result();
    }
    ChatStreamAssembler assembler = new ChatStreamAssembler();
    for (byte[] data : payloads) {
      JsonNode chunk = Recorder.parse(data);
      if (chunk != null && chunk.isObject()) {
        assembler.feed(chunk);
      }
    }
    return assembler.result();
  }

  /** The whole upstream answer in the client's protocol. */
  static JsonNode translate(JsonNode upstream, String frontendProtocol, String frontendModel) {
    return "anthropic".equals(frontendProtocol)
        ? OpenAiToAnthropicResponse.translate(upstream, frontendModel)
        : AnthropicToOpenAiResponse.translate(upstream, frontendModel);
  }
}

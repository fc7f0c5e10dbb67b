package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.NODES;
import static io.tracegate.protocol.translate.ChatJson.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Translates a non-stream Anthropic Messages response into an OpenAI {@code chat.completion}.
 *
 * <p>One choice: text blocks joined without separator into {@code content} ({@code null} when there
 * is no text but tool calls, {@code ""} when there is neither), thinking blocks joined into
 * {@code reasoning_content} (omitted when empty), {@code tool_use} blocks into {@code tool_calls}
 * (arguments = compact JSON of the input). Redacted thinking and server-tool blocks are not shown.
 * {@code finish_reason} and {@code usage} as described in {@code docs/translation.md}:
 * {@code prompt_tokens} includes cache reads and writes. The stream translation
 * ({@link AnthropicToOpenAiStream}) assembles to the same object.
 */
public final class AnthropicToOpenAiResponse {

    private AnthropicToOpenAiResponse() {
    }

    /** Translates with {@code created} = now (epoch seconds). */
    public static ObjectNode translate(JsonNode anthropicMessage, String frontendModel) {
        return translate(anthropicMessage, frontendModel, Instant.now().getEpochSecond());
    }

    /**
     * Translates {@code anthropicMessage}; {@code frontendModel} is the model name the client asked
     * for, {@code created} the {@code created} value (epoch seconds).
     */
    public static ObjectNode translate(JsonNode anthropicMessage, String frontendModel, long created) {
        JsonNode msg = anthropicMessage == null ? NODES.objectNode() : anthropicMessage;
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = null;
        ArrayNode toolCalls = NODES.arrayNode();
        for (JsonNode block : msg.path("content")) {
            String type = str(block.get("type"));
            if ("text".equals(type)) {
                text.append(block.path("text").asText(""));
            } else if ("thinking".equals(type)) {
                thinking = (thinking == null ? new StringBuilder() : thinking).append(block.path("thinking").asText(""));
            } else if ("tool_use".equals(type)) {
                ObjectNode call = toolCalls.addObject();
                call.put("id", str(block.get("id")));
                call.put("type", "function");
                ObjectNode fn = call.putObject("function");
                fn.put("name", str(block.get("name")));
                fn.put("arguments", ChatJson.compact(block.get("input")));
            }
        }
        ObjectNode out = NODES.objectNode();
        out.put("id", str(msg.get("id")));
        out.put("object", "chat.completion");
        out.put("created", created);
        out.put("model", frontendModel);
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", text.length() == 0 && !toolCalls.isEmpty() ? null : text.toString());
        if (thinking != null && thinking.length() > 0) {
            message.put("reasoning_content", thinking.toString());
        }
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", AnthropicToOpenAiFields.finishReason(str(msg.get("stop_reason"))));
        JsonNode usage = msg.get("usage");
        if (usage != null && usage.isObject()) {
            out.set("usage", AnthropicToOpenAiFields.usage(usage));
        }
        return out;
    }
}

package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.protocol.anthropic.ToolInputJson;
import java.util.UUID;

/**
 * Translates a non-stream Chat Completions response into the Anthropic {@code Message} an Anthropic
 * client expects.
 *
 * <p>Content order: a {@code thinking} block for {@code reasoning_content} / {@code reasoning}
 * (signature {@code ""}: an open model's reasoning has no Anthropic signature, and the gateway maps
 * thinking history back to {@code reasoning_content} without needing one), a {@code text} block
 * (omitted when empty; OpenAI {@code refusal} text is shown as text too), then one {@code tool_use}
 * block per tool call with its id kept and {@code input} from {@link ToolInputJson} (never throws on
 * bad arguments: truncated JSON is closed, anything else arrives as {@code {"_raw_arguments": ...}}
 * and is reported in {@link TranslatedMessage#warnings()}). Stop reasons follow
 * {@link AnthropicStopReason}, usage follows {@link AnthropicUsage}. Only choice 0 is used.
 */
public final class OpenAiToAnthropicResponse {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private OpenAiToAnthropicResponse() {
    }

    /** The Anthropic Message for {@code openAiChatResponse}, named {@code frontendModel}. */
    public static ObjectNode translate(JsonNode openAiChatResponse, String frontendModel) {
        return translateWithWarnings(openAiChatResponse, frontendModel).message();
    }

    /** As {@link #translate}, plus the warnings to record on the span. */
    public static TranslatedMessage translateWithWarnings(JsonNode openAiChatResponse, String frontendModel) {
        DropList warnings = new DropList();
        JsonNode resp = openAiChatResponse == null ? NODES.objectNode() : openAiChatResponse;
        ObjectNode out = NODES.objectNode();
        out.put("id", messageId(resp.path("id").asText(null)));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", frontendModel);
        ArrayNode content = out.putArray("content");
        JsonNode choices = resp.path("choices");
        if (choices.size() > 1) {
            warnings.add("choices_ignored:" + (choices.size() - 1));
        }
        JsonNode choice = choices.path(0);
        JsonNode message = choice.path("message");
        String reasoning = firstText(message.get("reasoning_content"), message.get("reasoning"));
        if (reasoning != null && !reasoning.isEmpty()) {
            content.addObject().put("type", "thinking").put("thinking", reasoning).put("signature", "");
        }
        StringBuilder text = new StringBuilder();
        appendText(text, message.get("content"));
        appendText(text, message.get("refusal"));
        if (text.length() > 0) {
            content.addObject().put("type", "text").put("text", text.toString());
        }
        JsonNode calls = message.path("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            JsonNode call = calls.get(i);
            String id = toolUseId(call.path("id").asText(null), i);
            ToolInputJson.Parsed input = ToolInputJson.parse(call.path("function").path("arguments").asText(""));
            noteArguments(input, id, warnings);
            content.addObject().put("type", "tool_use").put("id", id)
                    .put("name", call.path("function").path("name").asText(""))
                    .set("input", input.input());
        }
        AnthropicStopReason stop = AnthropicStopReason.of(choice.get("finish_reason"), choice.get("stop_reason"));
        if (!stop.known()) {
            warnings.add("finish_reason:" + choice.path("finish_reason").asText());
        }
        out.put("stop_reason", message.hasNonNull("refusal") && !"tool_use".equals(stop.stopReason())
                ? "refusal" : stop.stopReason());
        out.put("stop_sequence", stop.stopSequence());
        out.set("usage", AnthropicUsage.of(resp.get("usage")));
        return new TranslatedMessage(out, warnings.toList());
    }

    /** {@code id} prefixed with {@code msg_} unless it already is; a random one when absent. */
    static String messageId(String id) {
        if (id == null || id.isEmpty()) {
            return "msg_" + UUID.randomUUID().toString().replace("-", "");
        }
        return id.startsWith("msg_") ? id : "msg_" + id;
    }

    /** The backend's tool call id kept exactly; {@code toolu_<index>} when the backend sent none. */
    static String toolUseId(String id, int index) {
        return id == null || id.isEmpty() ? "toolu_" + index : id;
    }

    static void noteArguments(ToolInputJson.Parsed input, String id, DropList warnings) {
        if (input.kind() == ToolInputJson.Kind.REPAIRED) {
            warnings.add("tool_arguments_repaired:" + id);
        } else if (input.kind() == ToolInputJson.Kind.RAW) {
            warnings.add("tool_arguments_raw:" + id);
        }
    }

    private static String firstText(JsonNode a, JsonNode b) {
        if (a != null && a.isTextual()) {
            return a.asText();
        }
        return b != null && b.isTextual() ? b.asText() : null;
    }

    private static void appendText(StringBuilder sb, JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isTextual()) {
            sb.append(node.asText());
        } else if (node.isArray()) { // some servers return content parts
            node.forEach(p -> sb.append(p.path("text").asText("")));
        }
    }
}

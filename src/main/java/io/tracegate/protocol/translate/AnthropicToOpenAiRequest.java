package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Translates an Anthropic Messages API request ({@code POST /v1/messages}) into a Chat Completions
 * request for an OpenAI-compatible backend (vLLM, SGLang, OpenAI), so Claude Code and the Anthropic
 * SDKs can drive open models through the gateway.
 *
 * <p>Why a list of dropped kinds: some Anthropic features have no Chat Completions equivalent
 * (prompt-cache markers, server tools, context management, extended-thinking budgets ...). They are
 * not sent, and each distinct kind is reported once in {@link Result#dropped()} (e.g.
 * {@code cache_control}, {@code thinking}, {@code tool:web_search_20250305}) so the span shows what
 * the backend never saw instead of failing silently. The translation never throws on unexpected
 * shapes: the odd part is skipped and listed.
 *
 * <p>The field-by-field mapping is documented in docs/translation.md.
 */
public final class AnthropicToOpenAiRequest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * A translated request.
     *
     * @param request the Chat Completions request to send
     * @param dropped distinct kinds of input that could not be expressed, in first-seen order
     * @param system  the request's system prompt as translated (null for a request that is not an object)
     * @param tools   the request's tools as translated (null for a request that is not an object)
     */
    public record Result(ObjectNode request, List<String> dropped, TranslatedSystem system, TranslatedTools tools) {
        public Result {
            dropped = List.copyOf(dropped);
        }
    }

    private AnthropicToOpenAiRequest() {
    }

    /**
     * Translates {@code anthropicRequest}.
     *
     * @param backendModel the model name the backend expects; {@code null} keeps the request's model
     */
    public static Result translate(JsonNode anthropicRequest, String backendModel) {
        return translate(anthropicRequest, backendModel, null, null, SystemPlacement.KEEP);
    }

    /**
     * Translates {@code anthropicRequest} with its {@code system} and/or {@code tools} already translated (from an
     * earlier request that sent the very same bytes); the request's own member is then not read. A null
     * {@code knownSystem} / {@code knownTools} translates the request's.
     *
     * @param placement where {@code role: "system"} entries inside {@code messages} go; {@link
     *     SystemPlacement#MERGE_FIRST} rewrites the leading system message, so it takes no {@code knownSystem}
     */
    public static Result translate(JsonNode anthropicRequest, String backendModel, TranslatedSystem knownSystem,
            TranslatedTools knownTools, SystemPlacement placement) {
        if (placement == SystemPlacement.MERGE_FIRST && knownSystem != null) {
            throw new IllegalArgumentException("merge_first rewrites the system message: translate it afresh");
        }
        DropList dropped = new DropList();
        ObjectNode out = NODES.objectNode();
        if (anthropicRequest == null || !anthropicRequest.isObject()) {
            dropped.add("request:invalid");
            out.putArray("messages");
            return new Result(out, dropped.toList(), null, null);
        }
        JsonNode req = anthropicRequest;
        if (backendModel != null) {
            out.put("model", backendModel);
        } else if (req.has("model")) {
            out.set("model", req.get("model"));
        }
        ArrayNode messages = out.putArray("messages");
        TranslatedSystem system = knownSystem != null ? knownSystem : MessagesToChat.system(req.get("system"));
        if (system.message() != null) {
            messages.add(system.message());
        }
        system.dropped().forEach(dropped::add);
        MessagesToChat.messages(req.get("messages"), messages, placement, dropped);
        TranslatedTools tools = knownTools != null ? knownTools : ToolsToFunctions.functions(req.get("tools"));
        ToolsToFunctions.map(tools, req.get("tool_choice"), out, dropped);
        for (Map.Entry<String, JsonNode> e : req.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            switch (key) {
                case "model", "system", "messages", "tools", "tool_choice" -> { }
                case "max_tokens", "temperature", "top_p", "top_k" -> {
                    if (!v.isNull()) {
                        out.set(key, v);
                    }
                }
                case "stop_sequences" -> {
                    if (v.isArray() && !v.isEmpty()) {
                        out.set("stop", v);
                    }
                }
                case "stream" -> {
                    if (v.asBoolean(false)) {
                        out.put("stream", true);
                        out.putObject("stream_options").put("include_usage", true);
                    }
                }
                case "metadata" -> metadata(v, out, dropped);
                default -> dropped.add(key); // thinking, context_management, container, mcp_servers, ...
            }
        }
        return new Result(out, dropped.toList(), system, tools);
    }

    private static void metadata(JsonNode metadata, ObjectNode out, DropList dropped) {
        if (!metadata.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            if ("user_id".equals(e.getKey()) && e.getValue().isTextual()) {
                out.put("user", e.getValue().asText());
            } else if (!e.getValue().isNull()) {
                dropped.add("metadata." + e.getKey());
            }
        }
    }
}

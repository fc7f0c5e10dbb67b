package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.NODES;
import static io.tracegate.protocol.translate.ChatJson.absent;
import static io.tracegate.protocol.translate.ChatJson.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates an OpenAI Chat Completions request into an Anthropic Messages request, for an OpenAI
 * client routed to an Anthropic backend.
 *
 * <p>Never throws on odd input: whatever cannot be expressed is skipped and named in
 * {@link Result#dropped()}, one entry per item, formatted {@code path (reason)} (for example
 * {@code seed (no Anthropic equivalent)} or {@code messages[2].content[1] (unsupported content part
 * type input_audio)}). Adjusted values (clamped temperature, raised max_tokens, an inserted
 * placeholder message) are listed the same way. Field-by-field mapping:
 * {@code docs/translation.md}.
 *
 * <p>Notable defaults: {@code max_tokens} is {@value ChatSamplingToAnthropic#DEFAULT_MAX_TOKENS}
 * when the client gave neither {@code max_completion_tokens} nor {@code max_tokens} (Anthropic
 * requires it); {@code reasoning_effort} low/medium/high/xhigh enables extended thinking with a
 * budget of 1024/4096/16384/32768 tokens. The input tree is not modified.
 */
public final class OpenAiToAnthropicRequest {

    /**
     * The translated request and the list of dropped or adjusted items.
     *
     * @param request the Anthropic Messages request body (owned by the caller)
     * @param dropped what could not be carried over faithfully, in {@code path (reason)} form
     */
    public record Result(ObjectNode request, List<String> dropped) {
        public Result {
            dropped = List.copyOf(dropped);
        }
    }

    /** Fields handled by the mapping (never listed as unknown). */
    private static final Set<String> HANDLED = Set.of(
            "model", "messages", "max_tokens", "max_completion_tokens", "stop", "temperature", "top_p", "top_k",
            "user", "safety_identifier", "stream", "tools", "tool_choice", "parallel_tool_calls", "functions",
            "function_call", "reasoning_effort");

    /** Fields known to have no Anthropic equivalent, with the reason given in the dropped list. */
    private static final Map<String, String> NO_EQUIVALENT = Map.ofEntries(
            Map.entry("logprobs", "Anthropic does not return logprobs"),
            Map.entry("top_logprobs", "Anthropic does not return logprobs"),
            Map.entry("presence_penalty", "no Anthropic equivalent"),
            Map.entry("frequency_penalty", "no Anthropic equivalent"),
            Map.entry("seed", "no Anthropic equivalent"),
            Map.entry("response_format", "structured output is not translated; ask for JSON in the prompt"),
            Map.entry("stream_options", "handled by the gateway"),
            Map.entry("logit_bias", "no Anthropic equivalent"),
            Map.entry("modalities", "text output only"),
            Map.entry("audio", "no audio output"),
            Map.entry("prediction", "no predicted outputs"),
            Map.entry("store", "OpenAI-side storage"),
            Map.entry("metadata", "OpenAI-side storage metadata"),
            Map.entry("service_tier", "OpenAI service tiers do not apply"),
            Map.entry("prompt_cache_key", "Anthropic caching uses cache_control"),
            Map.entry("web_search_options", "no hosted web search mapping"),
            Map.entry("verbosity", "no Anthropic equivalent"));

    private OpenAiToAnthropicRequest() {
    }

    /**
     * Translates {@code openAiChatRequest} for {@code backendModel}, which replaces the client's
     * {@code model}.
     */
    public static Result translate(JsonNode openAiChatRequest, String backendModel) {
        List<String> dropped = new ArrayList<>();
        JsonNode req = openAiChatRequest;
        if (req == null || !req.isObject()) {
            dropped.add("(request body is not a JSON object)");
            req = NODES.objectNode();
        }
        ObjectNode out = NODES.objectNode();
        out.put("model", backendModel);
        out.put("max_tokens", ChatSamplingToAnthropic.DEFAULT_MAX_TOKENS); // keeps its place; set below
        ChatMessagesToAnthropic.Converted converted = ChatMessagesToAnthropic.convert(req.get("messages"), dropped);
        if (converted.system() != null) {
            out.put("system", converted.system());
        }
        out.set("messages", converted.messages());
        ChatToolsToAnthropic.apply(req, out, dropped);
        ChatSamplingToAnthropic.apply(req, out, dropped);
        user(req, out, dropped);
        JsonNode stream = req.get("stream");
        if (stream != null && stream.isBoolean()) {
            out.put("stream", stream.asBoolean());
        } else if (!absent(stream)) {
            dropped.add("stream (not a boolean)");
        }
        listUnmapped(req, dropped);
        return new Result(out, dropped);
    }

    private static void user(JsonNode req, ObjectNode out, List<String> dropped) {
        String user = str(req.get("user"));
        String safety = str(req.get("safety_identifier"));
        String id = user != null && !user.isEmpty() ? user : safety;
        if (id != null && !id.isEmpty()) {
            out.putObject("metadata").put("user_id", id);
        }
        if (!absent(req.get("user")) && user == null) {
            dropped.add("user (not a string)");
        }
        if (safety != null && user != null && !user.isEmpty()) {
            dropped.add("safety_identifier (user already sent as metadata.user_id)");
        }
    }

    private static void listUnmapped(JsonNode req, List<String> dropped) {
        for (Map.Entry<String, JsonNode> e : req.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (HANDLED.contains(name) || v.isNull() || isDefault(name, v)) {
                continue;
            }
            if ("n".equals(name)) {
                dropped.add("n (Anthropic generates one choice per request)");
            } else if (NO_EQUIVALENT.containsKey(name)) {
                dropped.add(name + " (" + NO_EQUIVALENT.get(name) + ")");
            } else {
                dropped.add(name + " (unknown field)");
            }
        }
    }

    /** Values that ask for exactly what Anthropic does anyway, so nothing is lost. */
    private static boolean isDefault(String name, JsonNode v) {
        switch (name) {
            case "n":
                return v.isNumber() && v.asInt() == 1;
            case "logprobs":
            case "store":
                return v.isBoolean() && !v.asBoolean();
            case "response_format":
                return "text".equals(str(v.get("type")));
            default:
                return false;
        }
    }
}

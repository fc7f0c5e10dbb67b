package io.tracegate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the non-stream Chat Completions response equivalent to a stream of
 * {@code chat.completion.chunk} objects.
 *
 * <p>Per choice (ordered by {@code index}): {@code message.role}, {@code content} concatenated
 * ({@code null} when none, or when empty and tool calls were made), {@code reasoning_content}
 * (accepting the vLLM/SGLang {@code reasoning_content} and the newer {@code reasoning} delta key),
 * {@code refusal}, {@code tool_calls} merged by their {@code index} with concatenated arguments,
 * {@code finish_reason}, {@code stop_reason} (vLLM), {@code logprobs.content} concatenated (and
 * {@code refusal} entries), and vLLM {@code token_ids} concatenated across all chunks, including
 * chunks with an empty delta. Top level: id, created, model, service_tier, system_fingerprint,
 * {@code usage} (last non-null wins), vLLM {@code prompt_token_ids} and {@code prompt_logprobs}.
 *
 * <p>Not thread-safe; one instance per stream. Unknown fields are ignored.
 */
public final class ChatStreamAssembler extends ChoiceStreamAssembler {

    public ChatStreamAssembler() {
        super("chat.completion", ChoiceState::new);
    }

    private static final class ChoiceState implements StreamChoice {
        final int index;
        String role;
        StringBuilder content;
        StringBuilder reasoning;
        StringBuilder refusal;
        final Map<Integer, ToolCallState> toolCalls = new TreeMap<>();
        JsonNode finishReason;
        JsonNode stopReason;
        ArrayNode logprobContent;
        ArrayNode logprobRefusal;
        IntList tokenIds;

        ChoiceState(int index) {
            this.index = index;
        }

        @Override
        public void accept(JsonNode c) {
            JsonNode delta = c.get("delta");
            if (delta != null && delta.isObject()) {
                acceptDelta(delta);
            }
            JsonNode fr = c.get("finish_reason");
            if (fr != null && !fr.isNull()) {
                finishReason = fr;
            }
            JsonNode sr = c.get("stop_reason");
            if (sr != null && !sr.isNull()) {
                stopReason = sr;
            }
            JsonNode lp = c.get("logprobs");
            if (lp != null && lp.isObject()) {
                logprobContent = appendAll(logprobContent, lp.get("content"));
                logprobRefusal = appendAll(logprobRefusal, lp.get("refusal"));
            }
            JsonNode ids = c.get("token_ids");
            if (ids != null && ids.isArray()) {
                if (tokenIds == null) {
                    tokenIds = new IntList();
                }
                tokenIds.addAll(ids);
            }
        }

        private void acceptDelta(JsonNode delta) {
            String r = StreamHeader.textOrNull(delta.get("role"));
            if (r != null) {
                role = r;
            }
            content = append(content, delta.get("content"));
            reasoning = append(reasoning, delta.get("reasoning_content"));
            reasoning = append(reasoning, delta.get("reasoning"));
            refusal = append(refusal, delta.get("refusal"));
            JsonNode calls = delta.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (JsonNode call : calls) {
                    int i = call.path("index").asInt(toolCalls.size());
                    toolCalls.computeIfAbsent(i, k -> new ToolCallState()).accept(call);
                }
            }
        }

        @Override
        public ObjectNode toNode() {
            ObjectNode out = Json.NODES.objectNode();
            out.put("index", index);
            ObjectNode message = out.putObject("message");
            message.put("role", role == null ? "assistant" : role);
            boolean emptyWithTools = content != null && content.length() == 0 && !toolCalls.isEmpty();
            message.put("content", content == null || emptyWithTools ? null : content.toString());
            if (reasoning != null) {
                message.put("reasoning_content", reasoning.toString());
            }
            if (refusal != null) {
                message.put("refusal", refusal.toString());
            }
            if (!toolCalls.isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (ToolCallState t : toolCalls.values()) {
                    calls.add(t.toNode());
                }
            }
            if (logprobContent != null || logprobRefusal != null) {
                ObjectNode lp = out.putObject("logprobs");
                lp.set("content", logprobContent);
                if (logprobRefusal != null) {
                    lp.set("refusal", logprobRefusal);
                }
            } else {
                out.putNull("logprobs");
            }
            out.set("finish_reason", finishReason);
            if (stopReason != null) {
                out.set("stop_reason", stopReason);
            }
            if (tokenIds != null) {
                out.set("token_ids", tokenIds.toArrayNode());
            }
            return out;
        }
    }

    private static final class ToolCallState {
        String id;
        String type;
        String name;
        StringBuilder arguments;

        void accept(JsonNode call) {
            String i = StreamHeader.textOrNull(call.get("id"));
            if (i != null && !i.isEmpty()) {
                id = i;
            }
            String t = StreamHeader.textOrNull(call.get("type"));
            if (t != null) {
                type = t;
            }
            JsonNode fn = call.get("function");
            if (fn != null && fn.isObject()) {
                String n = StreamHeader.textOrNull(fn.get("name"));
                if (n != null && !n.isEmpty()) {
                    name = name == null ? n : name + n; // some servers stream the name in pieces
                }
                arguments = append(arguments, fn.get("arguments"));
            }
        }

        ObjectNode toNode() {
            ObjectNode out = Json.NODES.objectNode();
            out.put("id", id);
            out.put("type", type == null ? "function" : type);
            ObjectNode fn = out.putObject("function");
            fn.put("name", name);
            fn.put("arguments", arguments == null ? "" : arguments.toString());
            return out;
        }
    }

    static StringBuilder append(StringBuilder sb, JsonNode piece) {
        if (piece == null || piece.isNull()) {
            return sb;
        }
        if (sb == null) {
            sb = new StringBuilder();
        }
        return sb.append(piece.asText());
    }

    static ArrayNode appendAll(ArrayNode target, JsonNode entries) {
        if (entries == null || !entries.isArray()) {
            return target;
        }
        if (target == null) {
            target = Json.NODES.arrayNode();
        }
        target.addAll((ArrayNode) entries);
        return target;
    }
}

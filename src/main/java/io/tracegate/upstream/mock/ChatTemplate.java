package io.tracegate.upstream.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;

/**
 * The mock's chat template: ChatML as Qwen2.5 renders it, with Qwen2.5's ids for the special tokens and
 * {@link ToyTokenizer} for text. A message is {@code <|im_start|>role\n body <|im_end|>\n}; tools are listed in
 * the system message; tool results are user messages wrapped in {@code <tool_response>}; the prompt ends with
 * the generation prompt {@code <|im_start|>assistant\n}; a model turn is its body followed by
 * {@code <|im_end|>}, and a tool call's body is {@code <tool_call>\n{"name": ..., "arguments": ...}\n</tool_call>}.
 *
 * <p>Text is tokenized one piece at a time (a role line, a body, the glue between messages, a tool call's
 * arguments), so a piece's ids never depend on its neighbours. Hence, when a client sends back the mock's
 * answer unchanged (tool call arguments may be re-serialised: they are rendered as canonical JSON), the prompt
 * ids of turn k+1 start with the prompt ids + response ids of turn k, as a trajectory merge needs.
 */
final class ChatTemplate {

    static final int IM_START = 151644;
    static final int IM_END = 151645;
    static final String IM_END_TEXT = "<|im_end|>";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String TOOLS_HEADER = "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
            + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    private static final String TOOLS_FOOTER = "\n</tools>\n\nFor each function call, return a json object with function name"
            + " and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
            + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";

    /** The three text pieces of a tool call's body: before the arguments, the arguments, after them. */
    record ToolCallText(String before, String arguments, String after) {
    }

    private int[] ids = new int[256];
    private int size;

    private ChatTemplate() {
    }

    /** The prompt ids of a conversation ({@code messages} in Chat Completions shape, {@code tools} may be null). */
    static int[] prompt(JsonNode messages, JsonNode tools) {
        ChatTemplate t = new ChatTemplate();
        int first = 0;
        String system = "";
        if (!messages.isEmpty() && isSystem(messages.get(0))) {
            system = Conversation.text(messages.get(0).get("content"));
            first = 1;
        }
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            StringBuilder sb = new StringBuilder(system);
            sb.append(system.isEmpty() ? "" : "\n\n").append(TOOLS_HEADER);
            for (JsonNode tool : tools) {
                sb.append('\n').append(tool);
            }
            system = sb.append(TOOLS_FOOTER).toString();
            t.message("system", system);
        } else if (first == 1) {
            t.message("system", system);
        }
        for (int i = first; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("user");
            switch (role) {
                case "assistant" -> t.assistant(m);
                case "tool", "function" -> t.message("user",
                        "<tool_response>\n" + Conversation.text(m.get("content")) + "\n</tool_response>");
                case "developer" -> t.message("system", Conversation.text(m.get("content")));
                default -> t.message(role, Conversation.text(m.get("content")));
            }
        }
        t.special(IM_START);
        t.text("assistant\n");
        return Arrays.copyOf(t.ids, t.size);
    }

    /** The body pieces of a call of {@code name} with {@code arguments} (rendered canonically when valid JSON). */
    static ToolCallText toolCall(String name, String arguments) {
        String quotedName;
        try {
            quotedName = MAPPER.writeValueAsString(name);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new ToolCallText("<tool_call>\n{\"name\": " + quotedName + ", \"arguments\": ", canonical(arguments),
                "}\n</tool_call>");
    }

    /** Compact JSON of {@code arguments} when it parses, else the string itself. */
    static String canonical(String arguments) {
        try {
            JsonNode parsed = MAPPER.readTree(arguments);
            return parsed == null || parsed.isMissingNode() ? arguments : parsed.toString();
        } catch (JsonProcessingException notJson) {
            return arguments;
        }
    }

    private static boolean isSystem(JsonNode m) {
        String role = m.path("role").asText();
        return "system".equals(role) || "developer".equals(role);
    }

    private void message(String role, String body) {
        special(IM_START);
        text(role + "\n");
        text(body);
        special(IM_END);
        text("\n");
    }

    private void assistant(JsonNode m) {
        special(IM_START);
        text("assistant\n");
        String content = Conversation.text(m.get("content"));
        text(content);
        boolean first = content.isEmpty();
        for (JsonNode call : m.path("tool_calls")) {
            if (!first) {
                text("\n");
            }
            first = false;
            JsonNode fn = call.path("function");
            ToolCallText body = toolCall(fn.path("name").asText(), fn.path("arguments").asText(""));
            text(body.before());
            text(body.arguments());
            text(body.after());
        }
        special(IM_END);
        text("\n");
    }

    private void special(int id) {
        ensure(1);
        ids[size++] = id;
    }

    private void text(String piece) {
        int[] encoded = ToyTokenizer.encode(piece);
        ensure(encoded.length);
        System.arraycopy(encoded, 0, ids, size, encoded.length);
        size += encoded.length;
    }

    private void ensure(int more) {
        if (size + more > ids.length) {
            ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + more));
        }
    }
}

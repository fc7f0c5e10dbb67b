package io.tracegate.protocol.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tracegate.protocol.json.JoinedTextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps the Anthropic {@code system} and {@code messages} to Chat Completions messages.
 *
 * <p>Choices (see docs/translation.md):
 * <ul>
 *   <li>{@code system} (string or text blocks) becomes ONE leading system message, blocks joined
 *       with {@value #JOIN}; several system messages confuse many chat templates.</li>
 *   <li>A {@code role: "system"} entry inside {@code messages} goes where the {@link SystemPlacement} says:
 *       a system message at its position, merged into the leading one, or a user message.</li>
 *   <li>Text blocks of one message are joined with {@value #JOIN}; a user message with images
 *       becomes a content-part array instead.</li>
 *   <li>{@code tool_result} blocks become {@code role: tool} messages placed BEFORE the rest of the
 *       user message: OpenAI requires tool answers right after the assistant's tool calls. An
 *       {@code is_error} result is prefixed with {@value #ERROR_PREFIX} so the model sees it failed.</li>
 *   <li>Assistant {@code thinking} text goes to {@code reasoning_content} (accepted by vLLM and SGLang,
 *       ignored by others); its signature cannot be sent ({@code thinking_block.signature}).
 *       {@code redacted_thinking} is opaque and dropped.</li>
 * </ul>
 * Anything else that cannot be expressed is skipped and its kind recorded, never thrown on.
 *
 * <p>Text moves as the request's own string nodes, and joined text as a {@link JoinedTextNode} of them,
 * so that the lane can write the long ones by copying their source bytes.
 */
final class MessagesToChat {

    static final String JOIN = "\n\n";
    static final String ERROR_PREFIX = "Error: ";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessagesToChat() {
    }

    /** Translates {@code system} (null, JSON null or absent: none). */
    static TranslatedSystem system(JsonNode system) {
        DropList dropped = new DropList();
        TextNode text = systemText(system, "system", dropped);
        return new TranslatedSystem(text == null ? null : message("system", text), dropped.toList());
    }

    /**
     * The text of a system prompt (a string or text blocks, joined with {@value #JOIN}); null when it is
     * absent, empty or of another type (then {@code invalidKind} is recorded).
     */
    private static TextNode systemText(JsonNode system, String invalidKind, DropList dropped) {
        if (system == null || system.isNull()) {
            return null;
        }
        TextNode text;
        if (system.isTextual()) {
            text = JoinedTextNode.text(system, "");
        } else if (system.isArray()) {
            List<TextNode> parts = new ArrayList<>();
            for (JsonNode block : system) {
                TextNode t = textOf(block, dropped);
                if (t != null) {
                    parts.add(t);
                }
            }
            text = JoinedTextNode.of(parts, JOIN);
        } else {
            dropped.add(invalidKind);
            return null;
        }
        return text.textValue().isEmpty() ? null : text;
    }

    private static ObjectNode message(String role, TextNode content) {
        ObjectNode msg = NODES.objectNode();
        msg.put("role", role);
        msg.set("content", content);
        return msg;
    }

    /**
     * Appends the chat messages for each Anthropic message to {@code out}, which holds the leading system
     * message, if any. A {@code role: "system"} entry goes where {@code placement} says.
     */
    static void messages(JsonNode messages, ArrayNode out, SystemPlacement placement, DropList dropped) {
        if (messages == null || !messages.isArray()) {
            if (messages != null && !messages.isNull()) {
                dropped.add("messages");
            }
            return;
        }
        List<TextNode> toMerge = new ArrayList<>();
        for (JsonNode m : messages) {
            String role = m.path("role").asText("");
            JsonNode content = m.get("content");
            switch (role) {
                case "user" -> user(content, out, dropped);
                case "assistant" -> assistant(content, out, dropped);
                case "system" -> {
                    TextNode text = systemText(content, "content:invalid", dropped);
                    if (text == null) {
                        continue;
                    }
                    switch (placement) {
                        case KEEP -> out.add(message("system", text));
                        case AS_USER -> out.add(message("user", text));
                        case MERGE_FIRST -> toMerge.add(text);
                        default -> throw new IllegalStateException(placement.name());
                    }
                }
                default -> dropped.add("role:" + (role.isEmpty() ? "missing" : role));
            }
        }
        if (!toMerge.isEmpty()) {
            mergeIntoLeadingSystem(out, toMerge);
        }
    }

    /** Replaces the leading system message (never changed in place: it may be remembered) by one that also holds {@code texts}. */
    private static void mergeIntoLeadingSystem(ArrayNode out, List<TextNode> texts) {
        List<TextNode> parts = new ArrayList<>(texts.size() + 1);
        boolean leading = !out.isEmpty() && "system".equals(out.get(0).path("role").asText());
        if (leading) {
            parts.add(JoinedTextNode.text(out.get(0).get("content"), ""));
        }
        parts.addAll(texts);
        ObjectNode merged = message("system", JoinedTextNode.of(parts, JOIN));
        if (leading) {
            out.set(0, merged);
        } else {
            out.insert(0, merged);
        }
    }

    private static void user(JsonNode content, ArrayNode out, DropList dropped) {
        if (content == null || content.isTextual()) {
            out.addObject().put("role", "user").set("content", JoinedTextNode.text(content, ""));
            return;
        }
        if (!content.isArray()) {
            dropped.add("content:invalid");
            return;
        }
        ArrayNode parts = NODES.arrayNode();
        List<TextNode> texts = new ArrayList<>();
        boolean images = false;
        for (JsonNode block : content) {
            String type = block.path("type").asText("");
            switch (type) {
                case "tool_result" -> out.add(toolResult(block, dropped));
                case "image" -> {
                    ObjectNode part = image(block, dropped);
                    if (part != null) {
                        parts.add(part);
                        images = true;
                    }
                }
                case "text", "document" -> {
                    TextNode t = textOf(block, dropped);
                    if (t != null) {
                        parts.addObject().put("type", "text").set("text", t);
                        texts.add(t);
                    }
                }
                default -> dropped.add(type.isEmpty() ? "content:invalid" : type);
            }
        }
        if (parts.isEmpty()) {
            return; // only tool results (or nothing expressible)
        }
        ObjectNode msg = out.addObject().put("role", "user");
        if (images) {
            msg.set("content", parts);
        } else {
            msg.set("content", JoinedTextNode.of(texts, JOIN));
        }
    }

    private static ObjectNode toolResult(JsonNode block, DropList dropped) {
        dropCacheControl(block, dropped);
        TextNode text;
        JsonNode content = block.get("content");
        if (content == null || content.isNull()) {
            text = TextNode.valueOf("");
        } else if (content.isTextual()) {
            text = JoinedTextNode.text(content, "");
        } else if (content.isArray()) {
            List<TextNode> parts = new ArrayList<>();
            for (JsonNode b : content) {
                String type = b.path("type").asText("");
                if ("text".equals(type) || "document".equals(type)) {
                    TextNode t = textOf(b, dropped);
                    if (t != null) {
                        parts.add(t);
                    }
                } else {
                    dropped.add("tool_result:" + (type.isEmpty() ? "invalid" : type));
                }
            }
            text = JoinedTextNode.of(parts, JOIN);
        } else {
            dropped.add("tool_result:invalid");
            text = TextNode.valueOf("");
        }
        if (block.path("is_error").asBoolean(false)) {
            text = text.textValue().isEmpty()
                    ? TextNode.valueOf("Error")
                    : JoinedTextNode.of(List.of(TextNode.valueOf(ERROR_PREFIX), text), "");
        }
        ObjectNode msg = NODES.objectNode();
        msg.put("role", "tool");
        msg.put("tool_call_id", block.path("tool_use_id").asText(""));
        msg.set("content", text);
        return msg;
    }

    private static void assistant(JsonNode content, ArrayNode out, DropList dropped) {
        ObjectNode msg = NODES.objectNode().put("role", "assistant");
        if (content == null || content.isTextual()) {
            msg.set("content", JoinedTextNode.text(content, ""));
            out.add(msg);
            return;
        }
        if (!content.isArray()) {
            dropped.add("content:invalid");
            return;
        }
        List<TextNode> texts = new ArrayList<>();
        List<TextNode> reasoning = new ArrayList<>();
        ArrayNode calls = NODES.arrayNode();
        for (JsonNode block : content) {
            String type = block.path("type").asText("");
            switch (type) {
                case "text" -> {
                    TextNode t = textOf(block, dropped);
                    if (t != null && !t.textValue().isEmpty()) {
                        texts.add(t);
                    }
                }
                case "thinking" -> {
                    reasoning.add(JoinedTextNode.text(block.path("thinking"), ""));
                    if (!block.path("signature").asText("").isEmpty()) {
                        dropped.add("thinking_block.signature");
                    }
                }
                case "tool_use" -> {
                    dropCacheControl(block, dropped);
                    ObjectNode call = calls.addObject();
                    call.put("id", block.path("id").asText(""));
                    call.put("type", "function");
                    JsonNode input = block.get("input");
                    call.putObject("function")
                            .put("name", block.path("name").asText(""))
                            .put("arguments", input == null || input.isNull() ? "{}" : input.toString());
                }
                default -> dropped.add(type.isEmpty() ? "content:invalid" : type);
            }
        }
        if (texts.isEmpty() && !calls.isEmpty()) {
            msg.putNull("content");
        } else {
            msg.set("content", JoinedTextNode.of(texts, JOIN));
        }
        if (!reasoning.isEmpty()) {
            msg.set("reasoning_content", JoinedTextNode.of(reasoning, JOIN));
        }
        if (!calls.isEmpty()) {
            msg.set("tool_calls", calls);
        }
        out.add(msg);
    }

    /** Text of a text block or of a text {@code document}; records what it cannot keep. */
    private static TextNode textOf(JsonNode block, DropList dropped) {
        String type = block.path("type").asText("");
        dropCacheControl(block, dropped);
        if ("text".equals(type)) {
            if (block.has("citations") && !block.get("citations").isNull()) {
                dropped.add("citations");
            }
            return JoinedTextNode.text(block.path("text"), "");
        }
        if ("document".equals(type)) {
            JsonNode source = block.path("source");
            String st = source.path("type").asText("");
            if ("text".equals(st)) {
                return documentText(block, JoinedTextNode.text(source.path("data"), ""), dropped);
            }
            if ("content".equals(st) && source.path("content").isArray()) {
                List<TextNode> parts = new ArrayList<>();
                source.path("content").forEach(b -> {
                    if ("text".equals(b.path("type").asText())) {
                        parts.add(JoinedTextNode.text(b.path("text"), ""));
                    }
                });
                return documentText(block, JoinedTextNode.of(parts, JOIN), dropped);
            }
            dropped.add("document:" + (st.isEmpty() ? "invalid" : st));
            return null;
        }
        dropped.add(type.isEmpty() ? "content:invalid" : type);
        return null;
    }

    /** Title, context and body of a text document, each present one joined with {@value #JOIN}. */
    private static TextNode documentText(JsonNode block, TextNode body, DropList dropped) {
        if (block.path("citations").path("enabled").asBoolean(false)) {
            dropped.add("citations");
        }
        List<TextNode> parts = new ArrayList<>(3);
        for (String key : new String[] {"title", "context"}) {
            TextNode t = JoinedTextNode.text(block.get(key), "");
            if (!t.textValue().isEmpty()) {
                parts.add(t);
            }
        }
        parts.add(body);
        return JoinedTextNode.of(parts, JOIN);
    }

    private static ObjectNode image(JsonNode block, DropList dropped) {
        dropCacheControl(block, dropped);
        JsonNode source = block.path("source");
        String url;
        switch (source.path("type").asText("")) {
            case "base64" -> url = "data:" + source.path("media_type").asText("image/png") + ";base64,"
                    + source.path("data").asText("");
            case "url" -> url = source.path("url").asText("");
            default -> {
                dropped.add("image:" + source.path("type").asText("invalid"));
                return null;
            }
        }
        ObjectNode part = NODES.objectNode().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    private static void dropCacheControl(JsonNode block, DropList dropped) {
        if (block.has("cache_control")) {
            dropped.add("cache_control");
        }
    }
}

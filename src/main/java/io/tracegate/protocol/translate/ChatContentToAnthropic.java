package io.tracegate.protocol.translate;

import static io.tracegate.protocol.translate.ChatJson.NODES;
import static io.tracegate.protocol.translate.ChatJson.str;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Converts Chat Completions message content (a string or an array of parts) into Anthropic content
 * blocks. Text that is empty or only whitespace is skipped (Anthropic rejects such text blocks);
 * parts that cannot be expressed are skipped and listed in {@code dropped} with their path.
 */
final class ChatContentToAnthropic {

    private ChatContentToAnthropic() {
    }

    /**
     * Appends the blocks of user (or tool result) content: text, {@code image_url} (data URLs become
     * base64 sources, http(s) URLs url sources; PDFs become {@code document} blocks) and {@code file}
     * parts carrying {@code file_data}. {@code cache_control} on a part is carried over.
     */
    static void appendUserBlocks(JsonNode content, String path, ArrayNode out, List<String> dropped) {
        if (content == null || content.isNull()) {
            return;
        }
        if (content.isTextual()) {
            addText(out, content.asText(), null);
            return;
        }
        if (!content.isArray()) {
            dropped.add(path + " (content is neither a string nor an array of parts)");
            return;
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partPath = path + "[" + i + "]";
            String type = str(part.get("type"));
            if (part.isTextual()) {
                addText(out, part.asText(), null);
            } else if ("text".equals(type) || "input_text".equals(type)) {
                addText(out, str(part.get("text")), part.get("cache_control"));
            } else if ("image_url".equals(type)) {
                JsonNode image = part.get("image_url");
                String url = image != null && image.isObject() ? str(image.get("url")) : str(image);
                addMedia(out, url, part.get("cache_control"), partPath, dropped);
            } else if ("file".equals(type)) {
                JsonNode file = part.path("file");
                String data = str(file.get("file_data"));
                if (data == null) {
                    dropped.add(partPath + " (file without file_data: file ids cannot be resolved)");
                } else {
                    addMedia(out, data, part.get("cache_control"), partPath, dropped);
                }
            } else {
                dropped.add(partPath + " (unsupported content part type " + type + ")");
            }
        }
    }

    /**
     * The text of system, developer or assistant content: a string, or the {@code text} (and
     * {@code refusal}) parts of an array concatenated; other parts are listed.
     */
    static String text(JsonNode content, String path, List<String> dropped) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            dropped.add(path + " (content is neither a string nor an array of parts)");
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String type = str(part.get("type"));
            String t = part.isTextual() ? part.asText()
                    : "text".equals(type) ? str(part.get("text"))
                    : "refusal".equals(type) ? str(part.get("refusal")) : null;
            if (t == null) {
                dropped.add(path + "[" + i + "] (unsupported content part type " + type + ")");
            } else {
                sb.append(t);
            }
        }
        return sb.toString();
    }

    /** Appends a text block unless the text is null, empty or only whitespace. */
    static void addText(ArrayNode out, String text, JsonNode cacheControl) {
        if (text == null || text.isBlank()) {
            return;
        }
        ObjectNode block = out.addObject();
        block.put("type", "text");
        block.put("text", text);
        copyCacheControl(block, cacheControl);
    }

    private static void addMedia(ArrayNode out, String url, JsonNode cacheControl, String path, List<String> dropped) {
        ObjectNode block = media(url, path, dropped);
        if (block != null) {
            copyCacheControl(block, cacheControl);
            out.add(block);
        }
    }

    /** An image or document block for a data URL or an http(s) URL, or {@code null} (listed). */
    static ObjectNode media(String url, String path, List<String> dropped) {
        if (url == null || url.isBlank()) {
            dropped.add(path + " (no URL)");
            return null;
        }
        String lower = url.regionMatches(true, 0, "data:", 0, 5) ? "data:" : url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            boolean pdf = lower.endsWith(".pdf");
            ObjectNode block = NODES.objectNode();
            block.put("type", pdf ? "document" : "image");
            ObjectNode source = block.putObject("source");
            source.put("type", "url");
            source.put("url", url);
            return block;
        }
        if (!lower.startsWith("data:")) {
            dropped.add(path + " (unsupported URL scheme)");
            return null;
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            dropped.add(path + " (malformed data URL)");
            return null;
        }
        String meta = url.substring(5, comma);
        String payload = url.substring(comma + 1);
        boolean base64 = meta.toLowerCase(Locale.ROOT).endsWith(";base64");
        int semi = meta.indexOf(';');
        String mediaType = (semi < 0 ? meta : meta.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (!base64) {
            dropped.add(path + " (data URL is not base64)");
            return null;
        }
        ObjectNode block = NODES.objectNode();
        if (mediaType.startsWith("image/")) {
            block.put("type", "image");
            ObjectNode source = block.putObject("source");
            source.put("type", "base64");
            source.put("media_type", mediaType);
            source.put("data", payload);
        } else if ("application/pdf".equals(mediaType)) {
            block.put("type", "document");
            ObjectNode source = block.putObject("source");
            source.put("type", "base64");
            source.put("media_type", mediaType);
            source.put("data", payload);
        } else if ("text/plain".equals(mediaType)) {
            String text;
            try {
                text = new String(Base64.getMimeDecoder().decode(payload), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                dropped.add(path + " (invalid base64 in data URL)");
                return null;
            }
            block.put("type", "document");
            ObjectNode source = block.putObject("source");
            source.put("type", "text");
            source.put("media_type", "text/plain");
            source.put("data", text);
        } else {
            dropped.add(path + " (unsupported media type " + mediaType + ")");
            return null;
        }
        return block;
    }

    private static void copyCacheControl(ObjectNode block, JsonNode cacheControl) {
        if (cacheControl != null && cacheControl.isObject()) {
            block.set("cache_control", cacheControl.deepCopy());
        }
    }
}

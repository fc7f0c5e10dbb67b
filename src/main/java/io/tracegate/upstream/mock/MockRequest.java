package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Pattern;

/** The options of a request that the mock honours, read once from its JSON tree. */
final class MockRequest {

    private static final Pattern WEATHER = Pattern.compile("\\bweather\\b", Pattern.CASE_INSENSITIVE);
    private static final int MAX_N = 128;

    final MockResponder.Endpoint endpoint;
    final int n;
    final int maxTokens;
    final boolean returnTokenIds;
    final boolean logprobs;
    final int topLogprobs;
    final boolean includeUsage;
    /** Text the answer is about: the last user message (chat) or the prompt (completions). */
    final String subject;
    final int[] promptIds;
    /** Name and first parameter of the tool to call, or {@code null} for a text answer. */
    final String toolName;
    final String toolParam;
    /** Stable digest of the request and backend model, used for ids. */
    final String digest;

    MockRequest(MockResponder.Endpoint endpoint, JsonNode req, String model) {
        if (req == null || !req.isObject()) {
            throw new IllegalArgumentException("request body must be a JSON object");
        }
        this.endpoint = endpoint;
        this.n = intOption(req, "n", 1, 1, MAX_N);
        boolean chat = endpoint == MockResponder.Endpoint.CHAT_COMPLETIONS;
        JsonNode max = chat && present(req.get("max_completion_tokens")) ? req.get("max_completion_tokens") : req.get("max_tokens");
        this.maxTokens = present(max) ? positive(max, "max_tokens") : chat ? Integer.MAX_VALUE : 16;
        this.returnTokenIds = req.path("return_token_ids").asBoolean(false);
        if (chat) {
            this.logprobs = req.path("logprobs").asBoolean(false);
            this.topLogprobs = logprobs ? intOption(req, "top_logprobs", 0, 0, 20) : 0;
        } else {
            this.logprobs = present(req.get("logprobs"));
            this.topLogprobs = logprobs ? intOption(req, "logprobs", 0, 0, 20) : 0;
        }
        this.includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
        if (chat) {
            JsonNode messages = req.get("messages");
            if (messages == null || !messages.isArray() || messages.isEmpty()) {
                throw new IllegalArgumentException("'messages' must be a non-empty array");
            }
            this.subject = lastUserText(messages);
            this.promptIds = ToyTokenizer.encode(renderChat(messages));
            JsonNode tool = req.path("tools").path(0).path("function");
            boolean toolsAllowed = !"none".equals(req.path("tool_choice").asText(""));
            if (tool.path("name").isTextual() && toolsAllowed && subject != null && WEATHER.matcher(subject).find()) {
                this.toolName = tool.get("name").asText();
                Iterator<String> names = tool.path("parameters").path("properties").fieldNames();
                this.toolParam = names.hasNext() ? names.next() : "location";
            } else {
                this.toolName = null;
                this.toolParam = null;
            }
        } else {
            JsonNode prompt = req.get("prompt");
            if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
                prompt = prompt.get(0);
            }
            if (prompt != null && prompt.isTextual()) {
                this.subject = prompt.asText();
                this.promptIds = ToyTokenizer.encode(subject);
            } else if (prompt != null && prompt.isArray() && !prompt.isEmpty() && allInts(prompt)) {
                this.subject = "token ids";
                this.promptIds = new int[prompt.size()];
                for (int i = 0; i < promptIds.length; i++) {
                    promptIds[i] = prompt.get(i).asInt();
                }
            } else {
                throw new IllegalArgumentException(
                        "'prompt' must be a string or an array of token ids (the mock serves one prompt per request)");
            }
            this.toolName = null;
            this.toolParam = null;
        }
        this.digest = Hashing.hex64(model + '\n' + req);
    }

    boolean chat() {
        return endpoint == MockResponder.Endpoint.CHAT_COMPLETIONS;
    }

    /** Renders the conversation as {@code role: text} lines, the input of the toy tokenizer. */
    static String renderChat(JsonNode messages) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode m : messages) {
            sb.append(m.path("role").asText("user")).append(": ").append(text(m.get("content")));
            for (JsonNode call : m.path("tool_calls")) {
                JsonNode fn = call.path("function");
                sb.append(' ').append(fn.path("name").asText()).append(fn.path("arguments").asText());
            }
            sb.append('\n');
        }
        return sb.append("assistant:").toString();
    }

    /** The last user message's text, or {@code null} when there is none. */
    static String lastUserText(JsonNode messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if ("user".equals(m.path("role").asText())) {
                return text(m.get("content"));
            }
        }
        return null;
    }

    /** A message content as text: a string, or the text parts of an array joined. */
    static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.isTextual()) {
                sb.append(part.asText());
            } else if (part.path("text").isTextual()) {
                sb.append(part.get("text").asText());
            }
        }
        return sb.toString();
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isNull();
    }

    private static boolean allInts(JsonNode array) {
        for (JsonNode x : array) {
            if (!x.canConvertToInt() || !x.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private static int positive(JsonNode n, String name) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1) {
            throw new IllegalArgumentException("'" + name + "' must be an integer >= 1");
        }
        return n.asInt();
    }

    private static int intOption(JsonNode req, String name, int dflt, int min, int max) {
        JsonNode n = req.get(name);
        if (!present(n)) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw new IllegalArgumentException("'" + name + "' must be an integer between " + min + " and " + max);
        }
        return n.asInt();
    }

    /** Stable hashing helpers. */
    static final class Hashing {
        private Hashing() {
        }

        static long fnv64(String s) {
            long h = 0xcbf29ce484222325L;
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xFF;
                h *= 0x100000001b3L;
            }
            return h;
        }

        static String hex64(String s) {
            return String.format(Locale.ROOT, "%016x", fnv64(s));
        }

        /** A well-mixed non-negative int from a few ints (splitmix-style). */
        static int mix(long a, long b, long c) {
            long z = a * 0x9E3779B97F4A7C15L + b * 0xBF58476D1CE4E5B9L + c * 0x94D049BB133111EBL;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return (int) ((z ^ (z >>> 31)) >>> 33);
        }
    }
}

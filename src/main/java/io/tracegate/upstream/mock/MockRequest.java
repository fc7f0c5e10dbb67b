package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** The options of a request that the mock honours and the reply it gives, read once from its JSON tree. */
final class MockRequest {

    private static final int MAX_N = 128;

    final MockResponder.Endpoint endpoint;
    final int n;
    final int maxTokens;
    final boolean returnTokenIds;
    final boolean logprobs;
    final int topLogprobs;
    final boolean includeUsage;
    /** Chat: the rendered conversation ({@link ChatTemplate}); completions: the prompt's ids. */
    final int[] promptIds;
    final MockReply reply;
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
            this.promptIds = ChatTemplate.prompt(messages, req.get("tools"));
            this.reply = chatReply(Conversation.of(messages), req);
        } else {
            JsonNode prompt = req.get("prompt");
            if (prompt != null && prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
                prompt = prompt.get(0);
            }
            if (prompt != null && prompt.isTextual()) {
                this.promptIds = ToyTokenizer.encode(prompt.asText());
                this.reply = MockReply.completion(prompt.asText());
            } else if (prompt != null && prompt.isArray() && !prompt.isEmpty() && allInts(prompt)) {
                this.promptIds = new int[prompt.size()];
                for (int i = 0; i < promptIds.length; i++) {
                    promptIds[i] = prompt.get(i).asInt();
                }
                this.reply = MockReply.completion("token ids");
            } else {
                throw new IllegalArgumentException(
                        "'prompt' must be a string or an array of token ids (the mock serves one prompt per request)");
            }
        }
        this.digest = Hashing.hex64(model + '\n' + req);
    }

    boolean chat() {
        return endpoint == MockResponder.Endpoint.CHAT_COMPLETIONS;
    }

    /**
     * A tool call when the user spoke last and their text relates to one of the offered tools, or when
     * {@code tool_choice} requires a call; else a comment on the tool results that came since the last
     * assistant message; else a text answer to the user's latest message.
     */
    private static MockReply chatReply(Conversation conversation, JsonNode req) {
        List<ToolPicker.Tool> tools = ToolPicker.tools(req.get("tools"));
        JsonNode choice = req.get("tool_choice");
        String mode = choice != null && choice.isTextual() ? choice.asText() : "auto";
        String forced = choice != null && choice.isObject() ? choice.path("function").path("name").asText(null) : null;
        UserText text = conversation.latestUserText();
        ToolPicker.Tool tool = null;
        if (!tools.isEmpty() && ("required".equals(mode) || forced != null)) {
            tool = ToolPicker.pick(tools, forced, text);
        } else if (!tools.isEmpty() && !"none".equals(mode) && conversation.userSpokeLast()
                && conversation.toolResults().isEmpty()) {
            tool = ToolPicker.match(tools, text).orElse(null);
        }
        if (tool != null) {
            return MockReply.toolCall(tool.name(), SchemaArguments.fill(tool.parameters(), text).toString());
        }
        if (!conversation.toolResults().isEmpty()) {
            return MockReply.toolResults(conversation.toolResults());
        }
        return MockReply.answer(conversation.latestUserText());
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

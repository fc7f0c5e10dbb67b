package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in mock LLM: answers OpenAI Chat Completions and Completions requests deterministically
 * so the gateway runs with no API keys. Like vLLM, it decides from the request itself whether to
 * return token ids ({@code return_token_ids: true}) and logprobs (chat: {@code logprobs: true} and
 * {@code top_logprobs}; completions: {@code logprobs: <int>}).
 *
 * <p>It behaves like a tiny tool-using chat model, so agent loops finish: when the user's latest text
 * asks for something one of the offered {@code tools} does ({@link ToolPicker}), or {@code tool_choice}
 * requires a call, it calls one tool with arguments built from the tool's JSON schema
 * ({@link SchemaArguments}); once the tool results are in it answers in text that quotes them
 * ({@code finish_reason: stop}); otherwise it answers the last user message. Completions continue the
 * prompt. {@code max_tokens} / {@code max_completion_tokens} truncate with finish reason {@code length}
 * (completions default to 16 tokens, as OpenAI does); {@code n} gives several choices. Chat token ids
 * follow a ChatML template ({@link ChatTemplate}), so a conversation's prompt ids grow by prefix from
 * turn to turn and a chat turn ends with {@code <|im_end|>}; usage counts agree with the ids. The only
 * non-request input is {@code created}, read from the clock given at construction. Streams follow
 * OpenAI's chunk order, including the usage-only final chunk when {@code stream_options.include_usage}
 * is true; assembling the chunks gives the non-stream response.
 *
 * <p>Thread-safe and stateless. Invalid requests raise {@link IllegalArgumentException} whose
 * message suits a 400 response.
 */
public final class MockResponder {

    /** Which OpenAI endpoint a request is for. */
    public enum Endpoint {
        /** {@code POST /v1/chat/completions}. */
        CHAT_COMPLETIONS,
        /** {@code POST /v1/completions}. */
        COMPLETIONS;

        /** Chat when the body has {@code messages}, completions when it has {@code prompt}. */
        public static Endpoint detect(JsonNode request) {
            if (request != null && request.has("messages")) {
                return CHAT_COMPLETIONS;
            }
            if (request != null && request.has("prompt")) {
                return COMPLETIONS;
            }
            throw new IllegalArgumentException("request has neither 'messages' nor 'prompt'");
        }
    }

    /** Value of {@code system_fingerprint} in every response. */
    public static final String SYSTEM_FINGERPRINT = "fp_tracegate_mock";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Clock clock;

    /** A responder whose {@code created} is the clock's current epoch second. */
    public MockResponder(Clock clock) {
        this.clock = clock;
    }

    /** A responder whose {@code created} is always {@code createdEpochSeconds}. */
    public static MockResponder fixed(long createdEpochSeconds) {
        return new MockResponder(Clock.fixed(Instant.ofEpochSecond(createdEpochSeconds), ZoneOffset.UTC));
    }

    /** {@link #nonStream(Endpoint, JsonNode, String)} with the endpoint detected from the body. */
    public ObjectNode nonStream(JsonNode request, String model) {
        return nonStream(Endpoint.detect(request), request, model);
    }

    /** {@link #streamChunks(Endpoint, JsonNode, String)} with the endpoint detected from the body. */
    public List<ObjectNode> streamChunks(JsonNode request, String model) {
        return streamChunks(Endpoint.detect(request), request, model);
    }

    /**
     * The non-stream response body ({@code chat.completion} or {@code text_completion}).
     *
     * @param model the backend model name reported in the response
     */
    public ObjectNode nonStream(Endpoint endpoint, JsonNode request, String model) {
        MockRequest req = new MockRequest(endpoint, request, model);
        List<MockGeneration> gens = generate(req);
        ObjectNode out = head(req, model, false);
        ArrayNode choices = out.putArray("choices");
        for (MockGeneration g : gens) {
            ObjectNode c = choices.addObject().put("index", g.index);
            if (req.chat()) {
                ObjectNode message = c.putObject("message").put("role", "assistant");
                if (g.toolName != null) {
                    message.putNull("content");
                    message.putArray("tool_calls").add(toolCall(g, g.arguments()));
                } else {
                    message.put("content", g.text());
                }
                c.set("logprobs", req.logprobs ? chatLogprobs(req, g, 0, g.tokens.size()) : null);
            } else {
                c.put("text", g.text());
                c.set("logprobs", req.logprobs ? completionLogprobs(req, g, 0, g.tokens.size(), 0) : null);
            }
            c.put("finish_reason", g.finishReason);
            if (req.returnTokenIds) {
                c.set("token_ids", ids(g.ids, 0, g.ids.length));
                if (!req.chat()) {
                    c.set("prompt_token_ids", ids(req.promptIds, 0, req.promptIds.length));
                }
            }
        }
        out.set("usage", usage(req, gens));
        if (req.returnTokenIds && req.chat()) {
            out.set("prompt_token_ids", ids(req.promptIds, 0, req.promptIds.length));
        }
        return out;
    }

    /**
     * The stream as chunk objects in order (each becomes one {@code data:} frame; the caller adds
     * {@code data: [DONE]}). Choices are streamed one after another, one token per chunk.
     */
    public List<ObjectNode> streamChunks(Endpoint endpoint, JsonNode request, String model) {
        MockRequest req = new MockRequest(endpoint, request, model);
        List<MockGeneration> gens = generate(req);
        List<ObjectNode> chunks = new ArrayList<>();
        for (MockGeneration g : gens) {
            if (req.chat()) {
                chatChoiceChunks(req, model, g, chunks);
            } else {
                completionChoiceChunks(req, model, g, chunks);
            }
        }
        if (req.returnTokenIds && req.chat()) {
            chunks.get(0).set("prompt_token_ids", ids(req.promptIds, 0, req.promptIds.length));
        }
        if (req.includeUsage) {
            ObjectNode last = head(req, model, true);
            last.putArray("choices");
            last.set("usage", usage(req, gens));
            chunks.add(last);
        }
        return chunks;
    }

    private void chatChoiceChunks(MockRequest req, String model, MockGeneration g, List<ObjectNode> out) {
        ObjectNode first = chatChunk(req, model, g, out);
        ObjectNode delta = first.putObject("delta").put("role", "assistant");
        if (g.toolName != null) {
            delta.putNull("content");
        } else {
            delta.put("content", "");
        }
        first.putNull("logprobs");
        first.putNull("finish_reason");
        int body = g.bodyTokens();
        for (int i = 0; i < body; i++) {
            if (g.toolName != null && i == g.argumentsFrom) {
                toolCallStart(req, model, g, out);
            }
            ObjectNode c = chatChunk(req, model, g, out);
            ObjectNode d = c.putObject("delta");
            if (g.toolName == null) {
                d.put("content", g.tokens.get(i));
            } else if (i >= g.argumentsFrom && i < g.argumentsTo) {
                d.putArray("tool_calls").addObject().put("index", 0)
                        .putObject("function").put("arguments", g.tokens.get(i));
            }
            // the template text around a tool call's arguments streams as empty deltas, like vLLM's tool parsers
            c.set("logprobs", req.logprobs ? chatLogprobs(req, g, i, i + 1) : null);
            c.putNull("finish_reason");
            if (req.returnTokenIds) {
                c.set("token_ids", ids(g.ids, i, i + 1));
            }
        }
        if (g.toolName != null && g.argumentsFrom >= body) {
            toolCallStart(req, model, g, out); // max_tokens cut the turn before its arguments
        }
        // <|im_end|> comes with the finish reason
        ObjectNode last = chatChunk(req, model, g, out);
        last.putObject("delta");
        last.set("logprobs", req.logprobs && g.endsTurn ? chatLogprobs(req, g, body, body + 1) : null);
        last.put("finish_reason", g.finishReason);
        if (req.returnTokenIds) {
            last.set("token_ids", ids(g.ids, body, g.tokens.size()));
        }
    }

    private void toolCallStart(MockRequest req, String model, MockGeneration g, List<ObjectNode> out) {
        ObjectNode start = chatChunk(req, model, g, out);
        start.putObject("delta").putArray("tool_calls").addObject().put("index", 0).setAll(toolCall(g, ""));
        start.putNull("logprobs");
        start.putNull("finish_reason");
    }

    private ObjectNode chatChunk(MockRequest req, String model, MockGeneration g, List<ObjectNode> out) {
        ObjectNode chunk = head(req, model, true);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", g.index);
        if (req.includeUsage) {
            chunk.putNull("usage");
        }
        out.add(chunk);
        return choice;
    }

    private void completionChoiceChunks(MockRequest req, String model, MockGeneration g, List<ObjectNode> out) {
        int offset = 0;
        for (int i = 0; i <= g.tokens.size(); i++) {
            boolean last = i == g.tokens.size();
            ObjectNode chunk = head(req, model, true);
            ObjectNode c = chunk.putArray("choices").addObject().put("index", g.index);
            c.put("text", last ? "" : g.tokens.get(i));
            c.set("logprobs", req.logprobs && !last ? completionLogprobs(req, g, i, i + 1, offset) : null);
            if (last) {
                c.put("finish_reason", g.finishReason);
            } else {
                c.putNull("finish_reason");
                offset += g.tokens.get(i).codePointCount(0, g.tokens.get(i).length());
            }
            if (req.returnTokenIds) {
                c.set("token_ids", last ? NODES.arrayNode() : ids(g.ids, i, i + 1));
                if (i == 0) {
                    c.set("prompt_token_ids", ids(req.promptIds, 0, req.promptIds.length));
                }
            }
            if (req.includeUsage) {
                chunk.putNull("usage");
            }
            out.add(chunk);
        }
    }

    private ObjectNode head(MockRequest req, String model, boolean chunk) {
        ObjectNode out = NODES.objectNode();
        out.put("id", (req.chat() ? "chatcmpl-mock-" : "cmpl-mock-") + req.digest);
        out.put("object", req.chat() ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion");
        out.put("created", clock.millis() / 1000);
        out.put("model", model);
        out.put("system_fingerprint", SYSTEM_FINGERPRINT);
        return out;
    }

    private static List<MockGeneration> generate(MockRequest req) {
        List<MockGeneration> gens = new ArrayList<>(req.n);
        for (int i = 0; i < req.n; i++) {
            gens.add(new MockGeneration(req, i));
        }
        return gens;
    }

    private static ObjectNode toolCall(MockGeneration g, String arguments) {
        ObjectNode call = NODES.objectNode();
        call.put("id", g.toolCallId).put("type", "function");
        call.putObject("function").put("name", g.toolName).put("arguments", arguments);
        return call;
    }

    private static ObjectNode chatLogprobs(MockRequest req, MockGeneration g, int from, int to) {
        ObjectNode lp = NODES.objectNode();
        ArrayNode content = lp.putArray("content");
        for (int i = from; i < to; i++) {
            String token = g.tokens.get(i);
            ObjectNode entry = logprobEntry(token, g.logprobs[i]);
            ArrayNode top = entry.putArray("top_logprobs");
            if (req.topLogprobs > 0) {
                top.add(logprobEntry(token, g.logprobs[i]));
                String[] alts = g.alternatives(i, req.topLogprobs);
                for (int j = 0; j < alts.length; j++) {
                    top.add(logprobEntry(alts[j], g.alternativeLogprob(i, j + 1)));
                }
            }
            content.add(entry);
        }
        return lp;
    }

    private static ObjectNode logprobEntry(String token, double logprob) {
        ObjectNode e = NODES.objectNode().put("token", token).put("logprob", logprob);
        ArrayNode bytes = e.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xFF);
        }
        return e;
    }

    private static ObjectNode completionLogprobs(MockRequest req, MockGeneration g, int from, int to, int offset) {
        ObjectNode lp = NODES.objectNode();
        ArrayNode tokens = lp.putArray("tokens");
        ArrayNode tokenLogprobs = lp.putArray("token_logprobs");
        ArrayNode top = lp.putArray("top_logprobs");
        ArrayNode offsets = lp.putArray("text_offset");
        for (int i = from; i < to; i++) {
            String token = g.tokens.get(i);
            tokens.add(token);
            tokenLogprobs.add(g.logprobs[i]);
            ObjectNode alternatives = top.addObject().put(token, g.logprobs[i]);
            String[] alts = g.alternatives(i, req.topLogprobs);
            for (int j = 0; j < alts.length; j++) {
                alternatives.put(alts[j], g.alternativeLogprob(i, j + 1));
            }
            offsets.add(offset);
            offset += token.codePointCount(0, token.length());
        }
        return lp;
    }

    private static ObjectNode usage(MockRequest req, List<MockGeneration> gens) {
        int completion = 0;
        for (MockGeneration g : gens) {
            completion += g.ids.length;
        }
        ObjectNode u = NODES.objectNode();
        u.put("prompt_tokens", req.promptIds.length);
        u.put("completion_tokens", completion);
        u.put("total_tokens", req.promptIds.length + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", 0);
        u.putObject("completion_tokens_details").put("reasoning_tokens", 0);
        return u;
    }

    private static ArrayNode ids(int[] ids, int from, int to) {
        ArrayNode out = NODES.arrayNode(to - from);
        for (int i = from; i < to; i++) {
            out.add(ids[i]);
        }
        return out;
    }
}

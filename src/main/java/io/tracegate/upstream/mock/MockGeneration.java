package io.tracegate.upstream.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One choice's generated output: its tokens (after max_tokens), ids, logprobs and finish reason. A chat turn is
 * the reply's body as {@link ChatTemplate} renders it (a text, or a tool call wrapped in {@code <tool_call>})
 * followed by {@code <|im_end|>}, which max_tokens may cut off like any other token.
 */
final class MockGeneration {

    private static final String[] ALTERNATIVES = {" the", " a", ",", ".", " and", " of", " to", " is", "\n", " it"};

    final int index;
    final List<String> tokens;
    final int[] ids;
    final double[] logprobs;
    final String finishReason;
    /** Tool call id and name when the choice is a tool call. */
    final String toolCallId;
    final String toolName;
    /** The tokens {@code [argumentsFrom, argumentsTo)} are a tool call's arguments (empty range for a text). */
    final int argumentsFrom;
    final int argumentsTo;
    /** The last token is {@code <|im_end|>} (a chat turn that max_tokens did not cut). */
    final boolean endsTurn;

    MockGeneration(MockRequest req, int index) {
        this.index = index;
        MockReply reply = req.reply;
        List<String> all = new ArrayList<>();
        int from = 0;
        int to = 0;
        if (reply.isToolCall()) {
            toolName = reply.toolName();
            toolCallId = "call_" + req.digest + MockRequest.Hashing.hex64(req.digest + "#" + index).substring(0, 8);
            ChatTemplate.ToolCallText body = ChatTemplate.toolCall(reply.toolName(), reply.arguments());
            all.addAll(ToyTokenizer.split(body.before()));
            from = all.size();
            all.addAll(ToyTokenizer.split(body.arguments()));
            to = all.size();
            all.addAll(ToyTokenizer.split(body.after()));
        } else {
            toolName = null;
            toolCallId = null;
            all.addAll(ToyTokenizer.split(reply.text() + (index == 0 ? "" : " Variant " + (index + 1) + ".")));
        }
        if (req.chat()) {
            all.add(ChatTemplate.IM_END_TEXT);
        }
        boolean truncated = all.size() > req.maxTokens;
        tokens = truncated ? List.copyOf(all.subList(0, req.maxTokens)) : List.copyOf(all);
        endsTurn = req.chat() && !truncated;
        argumentsFrom = Math.min(from, tokens.size());
        argumentsTo = Math.min(to, tokens.size());
        ids = new int[tokens.size()];
        logprobs = new double[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = endsTurn && i == ids.length - 1 ? ChatTemplate.IM_END : ToyTokenizer.id(tokens.get(i));
            logprobs[i] = logprob(ids[i], i, index);
        }
        finishReason = truncated ? "length" : toolName != null ? "tool_calls" : "stop";
    }

    /** The number of tokens before {@code <|im_end|>} (all of them when the turn was cut). */
    int bodyTokens() {
        return endsTurn ? tokens.size() - 1 : tokens.size();
    }

    /** The generated text (of a text reply): the body tokens joined. */
    String text() {
        return String.join("", tokens.subList(0, bodyTokens()));
    }

    /** A tool call's arguments as generated (cut short when max_tokens cut them). */
    String arguments() {
        return String.join("", tokens.subList(argumentsFrom, argumentsTo));
    }

    /** Alternatives for the token at {@code pos}: {@code k-1} tokens distinct from it, in rank order. */
    String[] alternatives(int pos, int k) {
        String[] out = new String[Math.max(0, k - 1)];
        int next = Math.floorMod(ids[pos], ALTERNATIVES.length);
        for (int j = 0; j < out.length; ) {
            String alt = ALTERNATIVES[next % ALTERNATIVES.length];
            next++;
            if (!alt.equals(tokens.get(pos))) {
                out[j++] = alt;
            }
        }
        return out;
    }

    /** Logprob of the {@code rank}-th alternative (1-based) of the token at {@code pos}. */
    double alternativeLogprob(int pos, int rank) {
        return round(logprobs[pos] - 0.75 * rank);
    }

    private static double logprob(int id, int pos, int choice) {
        return round(-(0.0005 + MockRequest.Hashing.mix(id, pos, choice) % 2500 / 1000.0));
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MockGeneration[%d, %s, %s]", index, String.join("", tokens), finishReason);
    }
}

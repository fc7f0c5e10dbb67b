package io.tracegate.upstream.mock;

import java.util.List;
import java.util.Locale;

/** One choice's generated output: its tokens (after max_tokens), ids, logprobs and finish reason. */
final class MockGeneration {

    private static final String[] ALTERNATIVES = {" the", " a", ",", ".", " and", " of", " to", " is", "\n", " it"};

    final int index;
    final List<String> tokens;
    final int[] ids;
    final double[] logprobs;
    final String finishReason;
    /** Tool call id and name when the choice is a tool call (its tokens are the arguments). */
    final String toolCallId;
    final String toolName;

    MockGeneration(MockRequest req, int index) {
        this.index = index;
        MockReply reply = req.reply;
        String full;
        if (reply.isToolCall()) {
            toolName = reply.toolName();
            toolCallId = "call_" + req.digest + MockRequest.Hashing.hex64(req.digest + "#" + index).substring(0, 8);
            full = reply.arguments();
        } else {
            toolName = null;
            toolCallId = null;
            full = reply.text() + (index == 0 ? "" : " Variant " + (index + 1) + ".");
        }
        List<String> all = ToyTokenizer.split(full);
        boolean truncated = all.size() > req.maxTokens;
        tokens = truncated ? List.copyOf(all.subList(0, req.maxTokens)) : List.copyOf(all);
        ids = new int[tokens.size()];
        logprobs = new double[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ToyTokenizer.id(tokens.get(i));
            logprobs[i] = logprob(ids[i], i, index);
        }
        finishReason = truncated ? "length" : toolName != null ? "tool_calls" : "stop";
    }

    /** The generated text: the concatenation of the tokens. */
    String text() {
        return String.join("", tokens);
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
        return String.format(Locale.ROOT, "MockGeneration[%d, %s, %s]", index, text(), finishReason);
    }
}

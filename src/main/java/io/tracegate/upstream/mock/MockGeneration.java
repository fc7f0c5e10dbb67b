package io.tracegate.upstream.mock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One choice's generated output: its tokens (after max_tokens), ids, logprobs and finish reason. */
final class MockGeneration {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PLACE = Pattern.compile("\\bin ((?:\\p{Lu}[\\p{L}-]*)(?: \\p{Lu}[\\p{L}-]*)*)");
    private static final String[] ALTERNATIVES = {" the", " a", ",", ".", " and", " of", " to", " is", "\n", " it"};
    private static final int SNIPPET = 40;

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
        String full;
        if (req.toolName != null) {
            toolName = req.toolName;
            toolCallId = "call_" + req.digest + MockRequest.Hashing.hex64(req.digest + "#" + index).substring(0, 8);
            full = toolArguments(req);
        } else {
            toolName = null;
            toolCallId = null;
            full = answer(req, index);
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

    private static String answer(MockRequest req, int index) {
        String variant = index == 0 ? "" : " Variant " + (index + 1) + ".";
        if (!req.chat()) {
            return " and this is a mock completion of \"" + tail(req.subject) + "\"." + variant;
        }
        if (req.subject == null || req.subject.isBlank()) {
            return "Mock answer. This reply is deterministic." + variant;
        }
        return "Mock answer to: " + head(req.subject) + ". This reply is deterministic." + variant;
    }

    private static String toolArguments(MockRequest req) {
        Matcher m = PLACE.matcher(req.subject);
        String value = m.find() ? m.group(1) : head(req.subject);
        ObjectNode args = MAPPER.createObjectNode().put(req.toolParam, value);
        return args.toString();
    }

    private static String head(String s) {
        String flat = s.strip().replaceAll("\\s+", " ");
        return flat.codePointCount(0, flat.length()) <= SNIPPET ? flat
                : flat.substring(0, flat.offsetByCodePoints(0, SNIPPET));
    }

    private static String tail(String s) {
        String flat = s.strip().replaceAll("\\s+", " ");
        int cps = flat.codePointCount(0, flat.length());
        return cps <= SNIPPET ? flat : flat.substring(flat.offsetByCodePoints(0, cps - SNIPPET));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MockGeneration[%d, %s, %s]", index, text(), finishReason);
    }
}

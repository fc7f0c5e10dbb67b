package io.tracegate.protocol.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rebuilds the non-stream {@code /v1/completions} response equivalent to a stream of
 * {@code text_completion} chunks: per choice {@code text} concatenated, {@code logprobs}
 * ({@code tokens}, {@code token_logprobs}, {@code top_logprobs}, {@code text_offset}) concatenated,
 * {@code finish_reason}, {@code stop_reason}, vLLM {@code token_ids} concatenated and
 * {@code prompt_token_ids} / {@code prompt_logprobs} (per choice in vLLM; also accepted at top
 * level); top-level usage (last non-null wins).
 *
 * <p>Not thread-safe; one instance per stream.
 */
public final class CompletionStreamAssembler extends ChoiceStreamAssembler {

    private static final String[] LOGPROB_ARRAYS = {"tokens", "token_logprobs", "top_logprobs", "text_offset"};

    public CompletionStreamAssembler() {
        super("text_completion", ChoiceState::new);
    }

    private static final class ChoiceState implements StreamChoice {
        final int index;
        final StringBuilder text = new StringBuilder();
        ArrayNode[] logprobs;
        JsonNode finishReason;
        JsonNode stopReason;
        IntList tokenIds;
        JsonNode promptTokenIds;
        JsonNode promptLogprobs;

        ChoiceState(int index) {
            this.index = index;
        }

        @Override
        public void accept(JsonNode c) {
            JsonNode t = c.get("text");
            if (t != null && !t.isNull()) {
                text.append(t.asText());
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
                if (logprobs == null) {
                    logprobs = new ArrayNode[LOGPROB_ARRAYS.length];
                    for (int i = 0; i < logprobs.length; i++) {
                        logprobs[i] = Json.NODES.arrayNode();
                    }
                }
                for (int i = 0; i < LOGPROB_ARRAYS.length; i++) {
                    JsonNode part = lp.get(LOGPROB_ARRAYS[i]);
                    if (part != null && part.isArray()) {
                        logprobs[i].addAll((ArrayNode) part);
                    }
                }
            }
            JsonNode ids = c.get("token_ids");
            if (ids != null && ids.isArray()) {
                if (tokenIds == null) {
                    tokenIds = new IntList();
                }
                tokenIds.addAll(ids);
            }
            promptTokenIds = StreamHeader.firstNonNull(promptTokenIds, c.get("prompt_token_ids"));
            promptLogprobs = StreamHeader.firstNonNull(promptLogprobs, c.get("prompt_logprobs"));
        }

        @Override
        public ObjectNode toNode() {
            ObjectNode out = Json.NODES.objectNode();
            out.put("index", index);
            out.put("text", text.toString());
            if (logprobs != null) {
                ObjectNode lp = out.putObject("logprobs");
                for (int i = 0; i < LOGPROB_ARRAYS.length; i++) {
                    lp.set(LOGPROB_ARRAYS[i], logprobs[i]);
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
            if (promptLogprobs != null) {
                out.set("prompt_logprobs", promptLogprobs);
            }
            if (promptTokenIds != null) {
                out.set("prompt_token_ids", promptTokenIds);
            }
            return out;
        }
    }
}

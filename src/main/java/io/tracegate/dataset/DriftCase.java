package io.tracegate.dataset;

/**
 * A call whose messages continue an earlier call's conversation (its messages, then an assistant message for its
 * answer) although its prompt token ids do not start with that call's prompt + response ids: the chat template
 * re-rendered the history differently (for example thinking stripped from earlier assistant turns), so the calls
 * cannot be merged into one sample. One line of {@code tracegate export --drift-report}.
 *
 * @param spanId the call whose prompt drifted
 * @param continuesSpanId the earlier call whose conversation it continues
 * @param position index, in the drifted call's prompt token ids, of the first token that differs from the earlier
 *     call's prompt + response ids (the prompt's length when the prompt is a proper prefix of them)
 * @param promptLength length of the drifted call's prompt ids
 * @param expectedLength length of the earlier call's prompt + response ids
 * @param actualTokenId the prompt's token at {@code position}, null past its end
 * @param expectedTokenId the earlier prompt + response's token at {@code position}, null past its end
 */
public record DriftCase(String rolloutId, String attemptId, String spanId, Long sequenceId, String continuesSpanId,
    Long continuesSequenceId, int position, int promptLength, int expectedLength, Integer actualTokenId,
    Integer expectedTokenId) {}

package io.tracegate.protocol.sse;

/**
 * One parsed Server-Sent Events frame.
 *
 * @param event the {@code event:} field, or {@code null} when absent (the default "message" type)
 * @param data  the {@code data:} lines joined with {@code "\n"}, or {@code null} when the frame had
 *              no data line (a comment or keep-alive)
 * @param id    the {@code id:} field, or {@code null} when absent
 */
public record SseFrame(String event, String data, String id) {

    /** The OpenAI end-of-stream sentinel carried as {@code data: [DONE]}. */
    public static final String DONE = "[DONE]";

    /** True when this frame carries {@code data: [DONE]}. */
    public boolean isDone() {
        return DONE.equals(data);
    }

    /** True when the frame carries no data (comment, keep-alive or empty). */
    public boolean isEmpty() {
        return data == null;
    }
}

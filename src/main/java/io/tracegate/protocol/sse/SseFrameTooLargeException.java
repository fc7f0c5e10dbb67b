package io.tracegate.protocol.sse;

/** Thrown by {@link SseFrameSplitter} when one frame exceeds its configured size limit. */
public final class SseFrameTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int limit;

    /** @param size bytes buffered so far; @param limit the configured maximum */
    public SseFrameTooLargeException(int size, int limit) {
        super("SSE frame exceeds " + limit + " bytes (" + size + " buffered without a blank line)");
        this.limit = limit;
    }

    /** The configured maximum frame size in bytes. */
    public int limit() {
        return limit;
    }
}

package io.tracegate.protocol.sse;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental splitter of a Server-Sent Events byte stream into complete frames.
 *
 * <p>Feed the bytes as they arrive; every complete frame (its raw bytes, including the blank line
 * that terminates it) is handed to the sink as soon as its terminator has been seen. Frames may be
 * split across chunks arbitrarily and several frames may arrive in one chunk. A frame ends at the
 * first empty line; lines end with {@code "\n"}, {@code "\r\n"} or {@code "\r"} (mixed freely), so
 * {@code "\n\n"}, {@code "\r\n\r\n"}, {@code "\r\r"}, {@code "\n\r\n"} ... all terminate a frame.
 *
 * <p>Because {@code "\r\n"} is a single line terminator, a frame whose final blank line ends with a
 * {@code '\r'} that is the very last byte received so far is held back until the next byte shows
 * whether a {@code '\n'} belongs to it. This keeps the output independent of how the input was
 * chunked; in CRLF streams the {@code '\n'} arrives in the same packet in practice.
 *
 * <p>The concatenation of all emitted frames and {@link #finish()} equals the input, byte for byte.
 * A blank line at the start of a frame (e.g. stray keep-alive newlines) is emitted as a frame of its
 * own; {@link SseEvents#parse(byte[])} yields an event with no data for it.
 *
 * <p>Not thread-safe: use one instance per stream.
 */
public final class SseFrameSplitter {

    /**
     * Default upper bound for one frame (a frame is held whole until it is complete): generous for large
     * tool-call or logprob chunks and for a chunk carrying a text of tens of MB (a 25 MB string must pass).
     */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

    private final int maxFrameBytes;
    private byte[] pending = new byte[0];
    private int pendingLen;
    /** True while no byte other than a line terminator has been seen on the current line. */
    private boolean lineEmpty = true;
    /** The previous byte was a '\r' ending a non-empty line; a following '\n' is part of it. */
    private boolean afterCr;
    /** The previous byte was a '\r' ending a blank line: the frame is complete (maybe plus '\n'). */
    private boolean heldComplete;

    /** Creates a splitter with {@link #DEFAULT_MAX_FRAME_BYTES}. */
    public SseFrameSplitter() {
        this(DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * Creates a splitter that refuses frames larger than {@code maxFrameBytes}.
     *
     * @param maxFrameBytes positive limit for the size of one buffered frame
     */
    public SseFrameSplitter(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Feeds {@code len} bytes of {@code chunk} from {@code off}; complete frames go to {@code frameSink}
     * in stream order. The chunk is not retained.
     *
     * @throws SseFrameTooLargeException when a frame grows beyond the configured limit
     */
    public void feed(byte[] chunk, int off, int len, Consumer<byte[]> frameSink) {
        java.util.Objects.checkFromIndexSize(off, len, chunk.length);
        int frameStart = off; // first byte of the current frame inside chunk (pending holds earlier bytes)
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte b = chunk[i];
            if (heldComplete) {
                heldComplete = false;
                lineEmpty = true;
                if (b == '\n') {
                    emit(chunk, frameStart, i + 1, frameSink);
                    frameStart = i + 1;
                    continue;
                }
                emit(chunk, frameStart, i, frameSink);
                frameStart = i;
            } else if (afterCr) {
                afterCr = false;
                if (b == '\n') {
                    continue; // second half of a CRLF already counted at the '\r'
                }
            }
            if (b == '\n') {
                if (lineEmpty) {
                    emit(chunk, frameStart, i + 1, frameSink);
                    frameStart = i + 1;
                } else {
                    lineEmpty = true;
                }
            } else if (b == '\r') {
                if (lineEmpty) {
                    heldComplete = true;
                } else {
                    lineEmpty = true;
                    afterCr = true;
                }
            } else {
                lineEmpty = false;
                // the rest of a non-empty line changes no state: skip to its terminator in a tight loop
                int next = i + 1;
                while (next < end && chunk[next] != '\n' && chunk[next] != '\r') {
                    next++;
                }
                i = next - 1;
            }
        }
        if (frameStart < end) {
            append(chunk, frameStart, end - frameStart);
        }
    }

    /** Convenience for {@link #feed(byte[], int, int, Consumer)} over a whole array. */
    public void feed(byte[] chunk, Consumer<byte[]> frameSink) {
        feed(chunk, 0, chunk.length, frameSink);
    }

    /**
     * Feeds the remaining bytes of {@code chunk} (its position advances to its limit).
     */
    public void feed(ByteBuffer chunk, Consumer<byte[]> frameSink) {
        int len = chunk.remaining();
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + chunk.position(), len, frameSink);
            chunk.position(chunk.limit());
        } else {
            byte[] copy = new byte[len];
            chunk.get(copy);
            feed(copy, 0, len, frameSink);
        }
    }

    /**
     * Ends the stream: returns the bytes not emitted yet, or {@code null} when there are none. These
     * are an unterminated tail, or a complete frame ending in {@code '\r'} that was waiting for its
     * next byte. The splitter is reset and may be reused.
     */
    public byte[] finish() {
        byte[] rest = pendingLen == 0 ? null : Arrays.copyOf(pending, pendingLen);
        pendingLen = 0;
        lineEmpty = true;
        afterCr = false;
        heldComplete = false;
        return rest;
    }

    /**
     * Ends the stream, handing a held complete frame (see class comment) to {@code frameSink}, and
     * returns the unterminated tail or {@code null}.
     */
    public byte[] finish(Consumer<byte[]> frameSink) {
        boolean complete = heldComplete;
        byte[] rest = finish();
        if (complete && rest != null) {
            frameSink.accept(rest);
            return null;
        }
        return rest;
    }

    /** Number of bytes buffered for the frame in progress. */
    public int bufferedBytes() {
        return pendingLen;
    }

    private void emit(byte[] chunk, int from, int to, Consumer<byte[]> sink) {
        byte[] frame;
        if (pendingLen == 0) {
            frame = Arrays.copyOfRange(chunk, from, to);
        } else {
            frame = Arrays.copyOf(pending, pendingLen + (to - from));
            System.arraycopy(chunk, from, frame, pendingLen, to - from);
            pendingLen = 0;
        }
        sink.accept(frame);
    }

    private void append(byte[] chunk, int from, int len) {
        int need = pendingLen + len;
        if (need > maxFrameBytes) {
            throw new SseFrameTooLargeException(need, maxFrameBytes);
        }
        if (need > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(need, Math.min(maxFrameBytes, Math.max(256, pending.length * 2))));
        }
        System.arraycopy(chunk, from, pending, pendingLen, len);
        pendingLen = need;
    }
}

package io.tracegate.store;

/**
 * Snapshot of {@link BatchingSpanWriter} counters, for /metrics and logs. Every submitted span ends up in
 * exactly one of persisted, failed (supplier threw or the store rejected its batch) or dropped (queue full
 * or writer closed); accepted = persisted + failed + the spans still queued or being written.
 */
public record WriterStats(long accepted, long persisted, long failed, long dropped, int queueDepth) {}

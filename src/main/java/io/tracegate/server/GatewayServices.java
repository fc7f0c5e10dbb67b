package io.tracegate.server;

import io.tracegate.auth.KeyRing;
import io.tracegate.config.GatewayConfig;
import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.store.SpanStore;
import io.tracegate.upstream.ModelRouter;
import io.tracegate.upstream.routing.PauseGate;

/**
 * What every verticle shares: immutable config and routing, the pause gate, the thread-safe store side, and the
 * live virtual keys.
 */
public record GatewayServices(
    GatewayConfig config,
    ModelRouter router,
    SequenceIds sequences,
    SpanSink spans,
    SpanStore store,
    BatchingSpanWriter writer,
    GatewayMetrics metrics,
    Drain drain,
    PauseGate pauseGate,
    RolloutTags tags,
    KeyRing keys) {}

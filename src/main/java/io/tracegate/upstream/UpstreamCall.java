package io.tracegate.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What to send to a backend.
 *
 * @param path API path relative to the backend's base URL, e.g. {@code /chat/completions}
 * @param headers client headers worth forwarding (never hop-by-hop; credentials only as described in
 *     {@link Backend} implementations)
 */
public record UpstreamCall(String path, Buffer body, MultiMap headers, boolean stream) {}

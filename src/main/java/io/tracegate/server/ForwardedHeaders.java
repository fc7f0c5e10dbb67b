package io.tracegate.server;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the gateway. Towards the backend, only on lanes where client and backend speak the same
 * protocol (translated calls forward none): that protocol's credential and feature headers, so an
 * OpenAI-compatible server never sees the client's {@code x-api-key} nor {@code anthropic-*} headers (the
 * backend then applies its own key, if it has one: see {@code upstream.CredentialHeaders}). Towards the
 * client: everything the backend said except hop-by-hop and framing headers, which the gateway sets itself.
 * Every upstream call, on every lane, carries the W3C trace context of its span ({@link #traceContext}).
 */
final class ForwardedHeaders {
  private static final Set<String> TO_OPENAI = Set.of(
      "authorization",
      "openai-organization",
      "openai-project",
      "openai-beta",
      "x-request-id");
  /** Anthropic takes {@code x-api-key} (API keys) and {@code Authorization: Bearer} (OAuth tokens). */
  private static final Set<String> TO_ANTHROPIC = Set.of(
      "authorization",
      "x-api-key",
      "anthropic-version",
      "anthropic-beta",
      "x-request-id");
  private static final Set<String> NOT_TO_CLIENT = Set.of(
      "connection",
      "keep-alive",
      "transfer-encoding",
      "content-length",
      "content-encoding",
      "proxy-authenticate",
      "proxy-connection",
      "te",
      "trailer",
      "upgrade");

  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";

  private ForwardedHeaders() {}

  /** The client's headers a same-protocol call forwards to a backend speaking {@code protocol}. */
  static MultiMap toUpstream(MultiMap client, String protocol) {
    Set<String> forwarded = "anthropic".equals(protocol) ? TO_ANTHROPIC : TO_OPENAI;
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (var e : client) {
      if (forwarded.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        out.add(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /**
   * Sets {@code traceparent} to the call's span ({@code 00-<trace id>-<span id>-01}: the model server's spans
   * become children of the gateway's, in the caller's trace when the client sent one) and passes on the
   * client's {@code tracestate}; whatever trace headers the lane had copied are replaced.
   */
  static void traceContext(MultiMap upstream, MultiMap client, String traceId, String spanId) {
    upstream.set(TRACEPARENT, "00-" + traceId + "-" + spanId + "-01");
    String state = client == null ? null : client.get(TRACESTATE);
    if (state != null && !state.isBlank()) {
      upstream.set(TRACESTATE, state);
    } else {
      upstream.remove(TRACESTATE);
    }
  }

  static void copyToClient(MultiMap upstream, MultiMap client) {
    for (var e : upstream) {
      if (!NOT_TO_CLIENT.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        client.add(e.getKey(), e.getValue());
      }
    }
  }
}

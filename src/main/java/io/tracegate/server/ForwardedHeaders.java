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

  static void copyToClient(MultiMap upstream, MultiMap client) {
    for (var e : upstream) {
      if (!NOT_TO_CLIENT.contains(e.getKey().toLowerCase(Locale.ROOT))) {
        client.add(e.getKey(), e.getValue());
      }
    }
  }
}

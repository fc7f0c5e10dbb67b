package io.tracegate.server;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/**
 * Which headers cross the gateway. Towards the backend: credentials (used only when the backend has no key
 * of its own) and provider feature headers. Towards the client: everything the backend said except
 * hop-by-hop and framing headers, which the gateway sets itself.
 */
final class ForwardedHeaders {
  private static final Set<String> TO_UPSTREAM = Set.of(
      "authorization",
      "x-api-key",
      "openai-organization",
      "openai-project",
      "openai-beta",
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

  static MultiMap toUpstream(MultiMap client) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (var e : client) {
      if (TO_UPSTREAM.contains(e.getKey().toLowerCase(Locale.ROOT))) {
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

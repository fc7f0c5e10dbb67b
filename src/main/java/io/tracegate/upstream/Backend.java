package io.tracegate.upstream;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;
import io.vertx.core.Future;

/**
 * One configured backend as seen from one verticle. Implementations are bound to that verticle's event loop
 * (and its single HTTP client) and are not shared across verticles.
 */
public interface Backend {

  BackendConfig config();

  /** Label used in spans: the configured name or a derived one. */
  String name();

  /** The label of a backend in spans and messages: its configured name, or one derived from provider and URL. */
  static String labelOf(BackendConfig config) {
    if (config.name() != null) {
      return config.name();
    }
    return config.provider() == Provider.MOCK ? "mock" : config.provider().id() + ":" + config.baseUrl();
  }

  /**
   * Sends a call. The future fails with {@link UpstreamException} when no response could be had (missing
   * credential, unreachable, timeout); any HTTP status, 4xx/5xx included, is a successful response.
   */
  default Future<UpstreamResponse> send(UpstreamCall call) {
    return send(call, new Cancellation());
  }

  /**
   * Sends a call that {@code cancellation} can abandon at any stage (then the future fails, or the response's
   * body stops, and the upstream connection is reset).
   */
  Future<UpstreamResponse> send(UpstreamCall call, Cancellation cancellation);
}

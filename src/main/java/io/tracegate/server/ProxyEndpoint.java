package io.tracegate.server;

import io.tracegate.config.BackendConfig;
import io.tracegate.config.Provider;

/**
 * The provider-compatible endpoints and, for each, the lane to a backend of either wire protocol.
 * Legacy completions have no Anthropic equivalent.
 */
enum ProxyEndpoint {
  CHAT("openai", "/v1/chat/completions"),
  COMPLETIONS("openai", "/v1/completions"),
  MESSAGES("anthropic", "/v1/messages");

  private final String protocol;
  private final String path;
  private final Lane openAiLane;
  private final Lane anthropicLane;

  ProxyEndpoint(String protocol, String path) {
    this.protocol = protocol;
    this.path = path;
    if (protocol.equals("anthropic")) {
      this.openAiLane = new AnthropicToOpenAiLane();
      this.anthropicLane = new AnthropicPassThroughLane("/v1/messages");
    } else if (path.equals("/v1/chat/completions")) {
      this.openAiLane = new OpenAiPassThroughLane("/chat/completions");
      this.anthropicLane = new OpenAiToAnthropicLane();
    } else {
      this.openAiLane = new OpenAiPassThroughLane("/completions");
      this.anthropicLane = null;
    }
  }

  String protocol() {
    return protocol;
  }

  String path() {
    return path;
  }

  boolean anthropic() {
    return protocol.equals("anthropic");
  }

  /**
   * The lane to {@code backend}. The built-in mock speaks both protocols: an Anthropic client's call reaches it
   * as Anthropic Messages (answered with Anthropic's usage and simulated prompt cache), unless the mock captures
   * token ids like vLLM, which only Chat Completions carry.
   */
  Lane lane(BackendConfig backend) {
    boolean anthropicBackend = backend.provider() == Provider.ANTHROPIC
        || backend.provider() == Provider.MOCK && anthropic() && backend.capture().isEmpty();
    return lane(anthropicBackend);
  }

  Lane lane(boolean anthropicBackend) {
    if (!anthropicBackend) {
      return openAiLane;
    }
    if (anthropicLane == null) {
      throw new GatewayException(GatewayException.Kind.UNSUPPORTED_ROUTE,
          path + " cannot be served by an Anthropic backend: the Messages API has no legacy completions");
    }
    return anthropicLane;
  }

  /** The endpoint a request path (possibly under the rollout prefix) ends with, or null. */
  static ProxyEndpoint ofPath(String requestPath) {
    if (requestPath == null) {
      return null;
    }
    for (ProxyEndpoint e : values()) {
      if (requestPath.endsWith(e.path)) {
        return e;
      }
    }
    return null;
  }
}

package io.tracegate.config;

import java.time.Duration;
import java.util.Set;

/**
 * One backend of a model route.
 *
 * @param name label used in spans and logs (default: provider + base URL)
 * @param model model name sent to the backend; null means "the name the client asked for"
 * @param connectTimeout TCP connect timeout
 * @param responseTimeout longest wait for the response headers (first byte of a stream included)
 * @param idleTimeout longest silence between two chunks once the response has started
 * @param systemMessages where an Anthropic client's in-conversation system entries go when translated to
 *     Chat Completions
 */
public record BackendConfig(
    String name,
    Provider provider,
    String baseUrl,
    String model,
    SecretRef apiKey,
    Set<Capture> capture,
    Duration connectTimeout,
    Duration responseTimeout,
    Duration idleTimeout,
    SystemMessages systemMessages) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(600);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);

  public BackendConfig {
    capture = Set.copyOf(capture);
    apiKey = apiKey == null ? SecretRef.NONE : apiKey;
    systemMessages = systemMessages == null ? SystemMessages.KEEP : systemMessages;
  }

  /** A backend with the default {@link SystemMessages#KEEP}. */
  public BackendConfig(String name, Provider provider, String baseUrl, String model, SecretRef apiKey,
      Set<Capture> capture, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout) {
    this(name, provider, baseUrl, model, apiKey, capture, connectTimeout, responseTimeout, idleTimeout,
        SystemMessages.KEEP);
  }

  public String backendModel(String frontendModel) {
    return model == null ? frontendModel : model;
  }

  public boolean captures(Capture c) {
    return capture.contains(c);
  }
}

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
 * @param maxConnections most connections open to this backend at once, for the whole gateway (all event
 *     loops together); a stream holds one for its whole length
 * @param poolWaitTimeout longest wait for one of those connections to become free before the request is
 *     answered 503 (at most {@code maxConnections} requests, and at least 1,024, wait; more are answered 503 at
 *     once)
 * @param maxBufferedResponse largest answer of this backend the gateway holds whole in memory: non-stream
 *     answers it translates or removes token ids from, and error answers (status >= 400); a larger one is cut
 *     off and answered 502. Answers relayed as they arrive (streams, unchanged non-stream answers) have no limit
 * @param weight share of the model's requests this backend gets under {@code round_robin} and {@code sticky},
 *     and the tie-break of {@code least_busy} (1 to {@value #MAX_WEIGHT})
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
    SystemMessages systemMessages,
    int maxConnections,
    Duration poolWaitTimeout,
    long maxBufferedResponse,
    int weight) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(600);
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(300);
  /** Enough for 4,096 concurrent streams to one backend (RL rollouts run thousands at once). */
  public static final int DEFAULT_MAX_CONNECTIONS = 4096;
  public static final int MAX_MAX_CONNECTIONS = 65_536;
  public static final Duration DEFAULT_POOL_WAIT_TIMEOUT = Duration.ofSeconds(30);
  /** Room for a 25 MB text translated several times over, far below a default heap. */
  public static final long DEFAULT_MAX_BUFFERED_RESPONSE = 256L * 1024 * 1024;
  public static final int MAX_WEIGHT = 1000;

  public BackendConfig {
    capture = Set.copyOf(capture);
    apiKey = apiKey == null ? SecretRef.NONE : apiKey;
    systemMessages = systemMessages == null ? SystemMessages.KEEP : systemMessages;
    maxConnections = maxConnections <= 0 ? DEFAULT_MAX_CONNECTIONS : maxConnections;
    poolWaitTimeout = poolWaitTimeout == null ? DEFAULT_POOL_WAIT_TIMEOUT : poolWaitTimeout;
    maxBufferedResponse = maxBufferedResponse <= 0 ? DEFAULT_MAX_BUFFERED_RESPONSE : maxBufferedResponse;
    weight = weight <= 0 ? 1 : weight;
  }

  /** A backend of weight 1. */
  public BackendConfig(String name, Provider provider, String baseUrl, String model, SecretRef apiKey,
      Set<Capture> capture, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout,
      SystemMessages systemMessages, int maxConnections, Duration poolWaitTimeout, long maxBufferedResponse) {
    this(name, provider, baseUrl, model, apiKey, capture, connectTimeout, responseTimeout, idleTimeout,
        systemMessages, maxConnections, poolWaitTimeout, maxBufferedResponse, 1);
  }

  /** A backend with the default connection limit and pool wait. */
  public BackendConfig(String name, Provider provider, String baseUrl, String model, SecretRef apiKey,
      Set<Capture> capture, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout,
      SystemMessages systemMessages) {
    this(name, provider, baseUrl, model, apiKey, capture, connectTimeout, responseTimeout, idleTimeout,
        systemMessages, DEFAULT_MAX_CONNECTIONS, DEFAULT_POOL_WAIT_TIMEOUT, DEFAULT_MAX_BUFFERED_RESPONSE);
  }

  /** A backend with the default {@link SystemMessages#KEEP}. */
  public BackendConfig(String name, Provider provider, String baseUrl, String model, SecretRef apiKey,
      Set<Capture> capture, Duration connectTimeout, Duration responseTimeout, Duration idleTimeout) {
    this(name, provider, baseUrl, model, apiKey, capture, connectTimeout, responseTimeout, idleTimeout,
        SystemMessages.KEEP);
  }

  /** This backend with another connection limit and pool wait. */
  public BackendConfig withConnectionLimit(int max, Duration poolWait) {
    return new BackendConfig(name, provider, baseUrl, model, apiKey, capture, connectTimeout, responseTimeout,
        idleTimeout, systemMessages, max, poolWait, maxBufferedResponse, weight);
  }

  /** This backend with another limit on answers held whole. */
  public BackendConfig withMaxBufferedResponse(long bytes) {
    return new BackendConfig(name, provider, baseUrl, model, apiKey, capture, connectTimeout, responseTimeout,
        idleTimeout, systemMessages, maxConnections, poolWaitTimeout, bytes, weight);
  }

  /** This backend with another name and weight (tests build several backends of one model). */
  public BackendConfig named(String newName, int newWeight) {
    return new BackendConfig(newName, provider, baseUrl, model, apiKey, capture, connectTimeout, responseTimeout,
        idleTimeout, systemMessages, maxConnections, poolWaitTimeout, maxBufferedResponse, newWeight);
  }

  public String backendModel(String frontendModel) {
    return model == null ? frontendModel : model;
  }

  public boolean captures(Capture c) {
    return capture.contains(c);
  }
}

package io.tracegate.trace;

import io.tracegate.protocol.openai.RequestPeek;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw facts of one proxied call, collected on the event loop while the call runs and turned into a
 * {@link Span} by the {@link Recorder} later, on the writer thread. Nothing here is parsed: the hot path
 * only copies bytes and stamps times.
 *
 * <p>Not thread-safe: one event loop fills it; handing it to the writer queue publishes it safely.
 */
public final class Exchange {
  private final String spanId = SpanIds.newSpanId();
  private final String traceId;
  private final String parentId;
  private final String rolloutId;
  private final String attemptId;
  private final String frontendProtocol;
  private final String endpoint;
  private final long startUnixNano;
  private final byte[] request;

  private Long sequenceId;
  private String frontendModel;
  private boolean stream;
  private boolean requestIsJson;
  private List<RequestPeek.Member> requestMembers;
  private String provider;
  private String backendName;
  private String backendModel;
  private String backendBaseUrl;
  private String backendProtocol;
  private final Map<String, Object> extraAttributes = new LinkedHashMap<>();
  private byte[] upstreamRequest;
  private boolean usageInjected;
  private Integer upstreamStatus;
  private int httpStatus;
  private byte[] responseBody;
  private final List<byte[]> streamData = new ArrayList<>();
  private Long firstTokenUnixNano;
  private long endUnixNano;
  private String status;
  private String statusMessage;
  private String errorType;
  private boolean ended;
  private boolean hideTokenIds;
  private boolean hideLogprobs;

  public Exchange(
      String traceId,
      String parentId,
      String rolloutId,
      String attemptId,
      String frontendProtocol,
      String endpoint,
      long startUnixNano,
      byte[] request) {
    this.traceId = traceId == null ? SpanIds.newTraceId() : traceId;
    this.parentId = parentId;
    this.rolloutId = rolloutId;
    this.attemptId = attemptId;
    this.frontendProtocol = frontendProtocol;
    this.endpoint = endpoint;
    this.startUnixNano = startUnixNano;
    this.request = request;
  }

  public void sequenceId(Long id) {
    this.sequenceId = id;
  }

  /** The request parsed (so its body is valid JSON) and asks for this model. */
  public void requested(String model, boolean isStream) {
    this.frontendModel = model;
    this.stream = isStream;
    this.requestIsJson = true;
  }

  /**
   * The request parsed as {@code peek} says: like {@link #requested(String, boolean)}, and the recorder
   * reads the sampling parameters from the members the peek located instead of scanning the body again.
   */
  public void requested(RequestPeek peek) {
    requested(peek.model(), peek.stream());
    this.requestMembers = peek.members();
  }

  /** The top-level members of the request body as the request path located them, or null. */
  public List<RequestPeek.Member> requestMembers() {
    return requestMembers;
  }

  public boolean requestIsJson() {
    return requestIsJson;
  }

  /**
   * @param wireProtocol what the backend speaks ("openai" or "anthropic"); when it differs from the frontend
   *     protocol the call was translated, and the recorder translates the recorded upstream answer the same way
   */
  public void routed(String providerName, String backend, String model, String baseUrl, String wireProtocol) {
    this.provider = providerName;
    this.backendName = backend;
    this.backendModel = model;
    this.backendBaseUrl = baseUrl;
    this.backendProtocol = wireProtocol;
  }

  /**
   * The gateway asked the backend for token ids / logprobs the client did not ask for: the client does not
   * see them, so the recorded client-facing response does not either (the span's own token fields keep them).
   */
  public void hiddenFromClient(boolean tokenIds, boolean logprobs) {
    this.hideTokenIds = tokenIds;
    this.hideLogprobs = logprobs;
  }

  public boolean hidesTokenIds() {
    return hideTokenIds;
  }

  public boolean hidesLogprobs() {
    return hideLogprobs;
  }

  /** An extra span attribute decided on the request path (e.g. what a translation dropped). */
  public void attribute(String key, Object value) {
    extraAttributes.put(key, value);
  }

  /** The body sent upstream; pass null when it is byte-identical to the client's request. */
  public void upstreamRequest(byte[] body, boolean injectedUsage) {
    this.upstreamRequest = body;
    this.usageInjected = injectedUsage;
  }

  public void upstreamStatus(int code) {
    this.upstreamStatus = code;
  }

  /** The upstream's whole (non-stream or error) response body, in the backend's protocol. */
  public void upstreamBody(byte[] body) {
    this.responseBody = body;
  }

  /** One SSE {@code data:} payload received from upstream, in arrival order, in the backend's protocol. */
  public void upstreamData(byte[] data) {
    if (firstTokenUnixNano == null) {
      firstTokenUnixNano = EpochClock.nowUnixNano();
    }
    streamData.add(data);
  }

  /**
   * Closes the record: status is one of {@link Span#STATUS_OK}, error or cancelled. Only the first call
   * counts; it returns true, later calls return false. This is what makes "exactly one span" hold when a
   * failure and a disconnect race.
   */
  public boolean end(int clientStatus, String finalStatus, String message, String errorKind) {
    if (ended) {
      return false;
    }
    ended = true;
    this.endUnixNano = EpochClock.nowUnixNano();
    this.httpStatus = clientStatus;
    this.status = finalStatus;
    this.statusMessage = message;
    this.errorType = errorKind;
    return true;
  }

  public boolean ended() {
    return ended;
  }

  public String spanId() {
    return spanId;
  }

  public String traceId() {
    return traceId;
  }

  public String parentId() {
    return parentId;
  }

  public String rolloutId() {
    return rolloutId;
  }

  public String attemptId() {
    return attemptId;
  }

  public Long sequenceId() {
    return sequenceId;
  }

  public String frontendProtocol() {
    return frontendProtocol;
  }

  public String endpoint() {
    return endpoint;
  }

  public long startUnixNano() {
    return startUnixNano;
  }

  public byte[] request() {
    return request;
  }

  public String frontendModel() {
    return frontendModel;
  }

  public boolean stream() {
    return stream;
  }

  public String provider() {
    return provider;
  }

  public String backendName() {
    return backendName;
  }

  public String backendModel() {
    return backendModel;
  }

  public String backendBaseUrl() {
    return backendBaseUrl;
  }

  public byte[] upstreamRequest() {
    return upstreamRequest;
  }

  public boolean usageInjected() {
    return usageInjected;
  }

  public Integer upstreamStatus() {
    return upstreamStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public byte[] upstreamBody() {
    return responseBody;
  }

  public List<byte[]> upstreamData() {
    return streamData;
  }

  public String backendProtocol() {
    return backendProtocol;
  }

  /** True when the client's protocol differs from the backend's. */
  public boolean translated() {
    return backendProtocol != null && !backendProtocol.equals(frontendProtocol);
  }

  public Map<String, Object> extraAttributes() {
    return extraAttributes;
  }

  public Long firstTokenUnixNano() {
    return firstTokenUnixNano;
  }

  public long endUnixNano() {
    return endUnixNano;
  }

  public String status() {
    return status;
  }

  public String statusMessage() {
    return statusMessage;
  }

  public String errorType() {
    return errorType;
  }
}

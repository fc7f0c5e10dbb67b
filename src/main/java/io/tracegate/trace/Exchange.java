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
  /** No cap: bodies are byte arrays. */
  public static final int UNCAPPED = Integer.MAX_VALUE - 8;

  private final String spanId = SpanIds.newSpanId();
  private final String traceId;
  private final String parentId;
  private final String rolloutId;
  private final String attemptId;
  private final String frontendProtocol;
  private final String endpoint;
  private final long startUnixNano;
  private final RecordedRequests requests;
  private int recordCap = UNCAPPED;

  private Long sequenceId;
  private String frontendModel;
  private boolean stream;
  private String provider;
  private String backendName;
  private String backendModel;
  private String backendBaseUrl;
  private String backendProtocol;
  private final Map<String, Object> extraAttributes = new LinkedHashMap<>();
  private Integer upstreamStatus;
  private int httpStatus;
  private final UpstreamAnswer answer = new UpstreamAnswer();
  private Long firstTokenUnixNano;
  private long endUnixNano;
  private String status;
  private String statusMessage;
  private String errorType;
  private boolean ended;
  private boolean hideTokenIds;
  private boolean hideLogprobs;
  private final List<UpstreamAttempt> attempts = new ArrayList<>(1);
  private String modelVersion;

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
    this.requests = new RecordedRequests(request);
  }

  /**
   * Most bytes of each body the span keeps ({@code store.max_recorded_body}); {@link #UNCAPPED} by default.
   * Larger bodies still reach the client whole; the span keeps their beginning and marks the truncation.
   */
  public void recordingCap(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("recording cap must be positive, got " + bytes);
    }
    this.recordCap = bytes;
  }

  public int recordingCap() {
    return recordCap;
  }

  public void sequenceId(Long id) {
    this.sequenceId = id;
  }

  /** The request parsed (so its body is valid JSON) and asks for this model. */
  public void requested(String model, boolean isStream) {
    this.frontendModel = model;
    this.stream = isStream;
    requests.parsed();
  }

  /**
   * The request parsed as {@code peek} says: like {@link #requested(String, boolean)}, and the recorder
   * reads the sampling parameters from the members the peek located instead of scanning the body again.
   */
  public void requested(RequestPeek peek) {
    requested(peek.model(), peek.stream());
    requests.located(peek.members());
  }

  /** The top-level members of the request body as the request path located them, or null. */
  public List<RequestPeek.Member> requestMembers() {
    return requests.members();
  }

  public boolean requestIsJson() {
    return requests.json();
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

  /** One more try of a backend (see {@link UpstreamAttempt}); the span lists them in this order. */
  public void attempt(UpstreamAttempt attempt) {
    attempts.add(attempt);
  }

  public List<UpstreamAttempt> attempts() {
    return attempts;
  }

  /** The policy version that served this call (last resume, or the request's {@code x-model-version}). */
  public void modelVersion(String version) {
    this.modelVersion = version;
  }

  public String modelVersion() {
    return modelVersion;
  }

  /**
   * Another attempt is about to be planned, possibly for a backend of another protocol: what the previous
   * attempt's plan noted (the upstream request, fields hidden from the client, the lane's attributes such as
   * what a translation dropped) no longer holds.
   */
  public void replanning() {
    requests.upstream(null, false);
    this.hideTokenIds = false;
    this.hideLogprobs = false;
    extraAttributes.clear();
  }

  /** An extra span attribute decided on the request path (e.g. what a translation dropped). */
  public void attribute(String key, Object value) {
    extraAttributes.put(key, value);
  }

  /** The body sent upstream; pass null when it is byte-identical to the client's request. */
  public void upstreamRequest(byte[] body, boolean injectedUsage) {
    requests.upstream(body, injectedUsage);
  }

  public void upstreamStatus(int code) {
    this.upstreamStatus = code;
  }

  /** The upstream's whole (non-stream or error) response body, in the backend's protocol. */
  public void upstreamBody(byte[] body) {
    answer.whole(body, recordCap);
  }

  /**
   * A piece of a whole (non-stream) upstream body relayed to the client as it arrives; the exchange keeps
   * at most {@link #recordingCap} bytes of it (plus its top-level facts when it is larger).
   */
  public void upstreamBodyPart(byte[] bytes, int offset, int length) {
    answer.part(bytes, offset, length, recordCap);
  }

  /** One SSE {@code data:} payload received from upstream, in arrival order, in the backend's protocol. */
  public void upstreamData(byte[] data) {
    if (firstTokenUnixNano == null) {
      firstTokenUnixNano = EpochClock.nowUnixNano();
    }
    answer.data(data, recordCap);
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
    // cut request bodies larger than the cap now, on the request's thread, so an exchange waiting in the
    // writer's queue holds at most the cap
    requests.cap(recordCap);
    this.httpStatus = clientStatus;
    this.status = finalStatus;
    this.statusMessage = message;
    this.errorType = errorKind;
    return true;
  }

  /** True when only the first {@link #recordingCap} bytes of the client's request are kept. */
  public boolean requestTruncated() {
    return requests.clientTruncated();
  }

  /** Bytes of the client's request body. */
  public int requestSize() {
    return requests.clientSize();
  }

  /** True when only the first {@link #recordingCap} bytes of the upstream request are kept. */
  public boolean upstreamRequestTruncated() {
    return requests.upstreamTruncated();
  }

  public int upstreamRequestSize() {
    return requests.upstreamSize();
  }

  /** The request's sampling parameters when they were read before the request body was cut, else null. */
  RequestParameters requestParametersBeforeCap() {
    return requests.parametersBeforeCap();
  }

  /** True when the whole upstream answer was larger than the cap: {@link #upstreamBody} is its beginning. */
  public boolean upstreamBodyTruncated() {
    return answer.truncated();
  }

  /** Bytes of the whole upstream answer, or of the stream's data payloads. */
  public long upstreamBodySize() {
    return answer.size();
  }

  /** The top-level facts (id, model, usage, ...) of a truncated whole answer as a JSON object, or null. */
  public byte[] upstreamBodyFacts() {
    return answer.facts();
  }

  /** True when stream payloads between the first {@link #recordingCap} bytes and the last few were not kept. */
  public boolean streamTruncated() {
    return answer.streamTruncated();
  }

  /** Stream payloads received (kept or not). */
  public int streamPayloads() {
    return answer.payloads();
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
    return requests.client();
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
    return requests.upstream();
  }

  public boolean usageInjected() {
    return requests.usageInjected();
  }

  public Integer upstreamStatus() {
    return upstreamStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The whole upstream answer, or its beginning when {@link #upstreamBodyTruncated}; null when none. */
  public byte[] upstreamBody() {
    return answer.body();
  }

  /**
   * The SSE data payloads kept, in arrival order: all of them, or when {@link #streamTruncated} those of the
   * first {@link #recordingCap} bytes followed by the last few.
   */
  public List<byte[]> upstreamData() {
    return answer.kept();
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

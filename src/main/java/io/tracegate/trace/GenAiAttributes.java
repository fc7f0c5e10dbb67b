package io.tracegate.trace;

/**
 * Attribute keys of the OpenTelemetry GenAI semantic conventions (still "development", so we keep our own
 * constants rather than depend on the incubating artifact) and tracegate's own keys.
 */
public final class GenAiAttributes {
  private GenAiAttributes() {}

  public static final String OPERATION_NAME = "gen_ai.operation.name";
  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
  public static final String REQUEST_TEMPERATURE = "gen_ai.request.temperature";
  public static final String REQUEST_TOP_P = "gen_ai.request.top_p";
  public static final String REQUEST_STREAM = "gen_ai.request.stream";
  public static final String REQUEST_CHOICE_COUNT = "gen_ai.request.choice.count";
  public static final String RESPONSE_ID = "gen_ai.response.id";
  public static final String RESPONSE_MODEL = "gen_ai.response.model";
  public static final String RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
  public static final String RESPONSE_TIME_TO_FIRST_CHUNK = "gen_ai.response.time_to_first_chunk";
  public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
  public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
  public static final String USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
  /** Older name of the cache-write key; both are emitted. */
  public static final String USAGE_CACHE_CREATION_INPUT_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
  public static final String USAGE_CACHE_WRITE_INPUT_TOKENS = "gen_ai.usage.cache_write.input_tokens";
  public static final String USAGE_REASONING_OUTPUT_TOKENS = "gen_ai.usage.reasoning.output_tokens";
  public static final String ERROR_TYPE = "error.type";

  public static final String OPERATION_CHAT = "chat";
  public static final String OPERATION_TEXT_COMPLETION = "text_completion";

  public static final String TG_ENDPOINT = "tracegate.endpoint";
  public static final String TG_UPSTREAM_STATUS = "tracegate.upstream.status_code";
  public static final String TG_HTTP_STATUS = "tracegate.http.status_code";
  public static final String TG_BACKEND_URL = "tracegate.backend.base_url";
  public static final String TG_USAGE_INJECTED = "tracegate.stream.usage_injected";
  public static final String TG_STREAM_CHUNKS = "tracegate.stream.chunks";
  /** The span keeps only the first {@code store.max_recorded_body} bytes of the body; *.size is its length. */
  public static final String TG_REQUEST_TRUNCATED = "tracegate.request.truncated";
  public static final String TG_REQUEST_SIZE = "tracegate.request.size";
  public static final String TG_UPSTREAM_REQUEST_TRUNCATED = "tracegate.upstream_request.truncated";
  public static final String TG_UPSTREAM_REQUEST_SIZE = "tracegate.upstream_request.size";
  public static final String TG_RESPONSE_TRUNCATED = "tracegate.response.truncated";
  public static final String TG_RESPONSE_SIZE = "tracegate.response.size";
}

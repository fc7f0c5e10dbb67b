package io.tracegate.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tracegate.trace.PlainDecimals;
import io.vertx.core.buffer.Buffer;

/**
 * JSON encoding of API responses (spans, summaries) and the CLI's JSON lines with one shared, thread-safe
 * mapper. Doubles come out as plain decimals ({@link PlainDecimals}).
 */
public final class ApiJson {
  public static final ObjectMapper MAPPER =
      new ObjectMapper(PlainDecimals.builder().build()).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private ApiJson() {}

  public static Buffer encode(Object value) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }
}

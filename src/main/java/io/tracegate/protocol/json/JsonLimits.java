package io.tracegate.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Jackson factories the gateway reads bodies with. Jackson's default read constraints (2.15+) refuse a
 * string of more than 20,000,000 characters, which turned valid answers with a long text into 502s and
 * silently skipped stream chunks. What the gateway reads is already bounded elsewhere (requests by
 * {@code server.max_body_size}, what a span keeps by {@code store.max_recorded_body}), so strings are
 * limited only by {@link #MAX_STRING_CHARS}, the same limit the SQLite store reads spans with.
 */
public final class JsonLimits {
  public static final int MAX_STRING_CHARS = 512 * 1024 * 1024;
  public static final StreamReadConstraints READ =
      StreamReadConstraints.builder().maxStringLength(MAX_STRING_CHARS).build();

  private JsonLimits() {}

  /** A factory with {@link #READ} (and no source excerpts in error locations: bodies can be large). */
  public static JsonFactory factory() {
    return JsonFactory.builder()
        .streamReadConstraints(READ)
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .build();
  }

  /** A mapper over a new {@link #factory()}. */
  public static ObjectMapper mapper() {
    return new ObjectMapper(factory());
  }
}

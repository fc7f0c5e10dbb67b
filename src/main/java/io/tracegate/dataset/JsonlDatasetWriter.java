package io.tracegate.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.tracegate.trace.PlainDecimals;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * JSON Lines: one triplet per line, UTF-8, snake_case keys in a fixed order, every key always present (null when
 * absent) so line-by-line readers (pandas, pyarrow, Hugging Face datasets) infer one schema. Arrays are JSON
 * arrays; {@code messages} is a JSON string (its content shapes vary too much for a columnar schema);
 * {@code rewards} is an object. A non-finite logprob is written as null (NaN is not JSON). Streams: nothing is
 * kept after a line is written.
 */
public final class JsonlDatasetWriter implements DatasetWriter {

  /**
   * Characters outside the BMP (emoji) as raw UTF-8, not as escaped surrogate pairs. Doubles (logprobs) through
   * Jackson's Schubfach writer: the shortest text that reads back as the same double, several times faster than
   * JDK 17's Double.toString, which dominated JSONL export time; written as plain decimals ({@link PlainDecimals}).
   */
  private static final JsonFactory FACTORY = PlainDecimals.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
      .build()
      .setRootValueSeparator(null);

  private final OutputStream out;
  private final JsonGenerator json;
  private long count;

  /** Writes to {@code out} and closes it on {@link #close()}. */
  public JsonlDatasetWriter(OutputStream out) throws IOException {
    this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), 1 << 16);
    this.json = FACTORY.createGenerator(this.out);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
  }

  /** Creates (or replaces) the file. */
  public static JsonlDatasetWriter create(Path file) throws IOException {
    return new JsonlDatasetWriter(Files.newOutputStream(file));
  }

  /** One triplet as a JSON object, without the newline: for callers that stream lines themselves (HTTP). */
  public static String toJson(Triplet triplet) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    try (JsonGenerator gen = FACTORY.createGenerator(buffer)) {
      writeObject(gen, triplet);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void write(Triplet triplet) throws IOException {
    writeObject(json, triplet);
    json.writeRaw('\n');
    count++;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void close() throws IOException {
    try (OutputStream o = out) {
      json.close();
      o.flush();
    }
  }

  private static void writeObject(JsonGenerator gen, Triplet t) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("rollout_id", t.rolloutId());
    gen.writeStringField("attempt_id", t.attemptId());
    writeLong(gen, "sequence_id", t.sequenceId());
    gen.writeNumberField("turn", t.turn());
    gen.writeStringField("model", t.model());
    writeInts(gen, "prompt_token_ids", t.promptTokenIds());
    writeInts(gen, "response_token_ids", t.responseTokenIds());
    gen.writeFieldName("response_logprobs");
    if (t.responseLogprobs() == null) {
      gen.writeNull();
    } else {
      gen.writeStartArray();
      for (double v : t.responseLogprobs()) {
        if (Double.isFinite(v)) {
          gen.writeNumber(v);
        } else {
          gen.writeNull();
        }
      }
      gen.writeEndArray();
    }
    gen.writeFieldName("reward");
    if (t.reward() == null) {
      gen.writeNull();
    } else {
      gen.writeNumber(t.reward());
    }
    gen.writeObjectFieldStart("rewards");
    for (Map.Entry<String, Double> e : t.rewards().entrySet()) {
      gen.writeNumberField(e.getKey(), e.getValue());
    }
    gen.writeEndObject();
    gen.writeStringField("messages", t.messages());
    gen.writeStringField("response_text", t.responseText());
    gen.writeStringField("span_id", t.spanId());
    writeInts(gen, "loss_mask", t.lossMask());
    gen.writeStringField("model_version", t.modelVersion());
    gen.writeEndObject();
  }

  private static void writeLong(JsonGenerator gen, String name, Long value) throws IOException {
    gen.writeFieldName(name);
    if (value == null) {
      gen.writeNull();
    } else {
      gen.writeNumber(value);
    }
  }

  private static void writeInts(JsonGenerator gen, String name, int[] values) throws IOException {
    gen.writeFieldName(name);
    if (values == null) {
      gen.writeNull();
    } else {
      gen.writeArray(values, 0, values.length);
    }
  }
}

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
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON Lines: one row per line, UTF-8, the {@link TrainerSchema}'s keys in a fixed order, every key always present
 * (null when absent) so line-by-line readers (pandas, pyarrow, Hugging Face datasets) infer one schema. Arrays are
 * JSON arrays; {@code messages} is a JSON string (its content shapes vary too much for a columnar schema);
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
  private static final RowSchema DEFAULT = TrainerSchema.TRACEGATE.rows(false);

  private final OutputStream out;
  private final JsonGenerator json;
  private final RowSchema schema;
  private long count;

  /** Writes tracegate's layout to {@code out} and closes it on {@link #close()}. */
  public JsonlDatasetWriter(OutputStream out) throws IOException {
    this(out, TrainerSchema.TRACEGATE, false);
  }

  /** Writes {@code schema}'s layout (plus the group statistics columns when {@code groupStats}). */
  public JsonlDatasetWriter(OutputStream out, TrainerSchema schema, boolean groupStats) throws IOException {
    this.out = new BufferedOutputStream(Objects.requireNonNull(out, "out"), 1 << 16);
    this.schema = schema.rows(groupStats);
    this.json = FACTORY.createGenerator(this.out);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
  }

  /** Creates (or replaces) the file. */
  public static JsonlDatasetWriter create(Path file) throws IOException {
    return new JsonlDatasetWriter(Files.newOutputStream(file));
  }

  /** Creates (or replaces) the file, in {@code schema}'s layout. */
  public static JsonlDatasetWriter create(Path file, TrainerSchema schema, boolean groupStats) throws IOException {
    return new JsonlDatasetWriter(Files.newOutputStream(file), schema, groupStats);
  }

  /** One triplet as a JSON object in tracegate's layout, without the newline. */
  public static String toJson(Triplet triplet) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    try (JsonGenerator gen = FACTORY.createGenerator(buffer)) {
      writeObject(gen, DEFAULT, ExportRow.alone(triplet, 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Override
  public void write(Triplet triplet) throws IOException {
    write(ExportRow.alone(triplet, count));
  }

  @Override
  public void write(ExportRow row) throws IOException {
    writeObject(json, schema, row);
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

  private static void writeObject(JsonGenerator gen, RowSchema schema, ExportRow row) throws IOException {
    gen.writeStartObject();
    for (Column c : schema.columns()) {
      gen.writeFieldName(c.name());
      writeValue(gen, c, c.value().apply(row));
    }
    gen.writeEndObject();
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(JsonGenerator gen, Column c, Object value) throws IOException {
    if (value == null) {
      gen.writeNull();
      return;
    }
    switch (c.kind()) {
      case STRING -> gen.writeString((String) value);
      case LONG -> gen.writeNumber(((Number) value).longValue());
      case DOUBLE -> gen.writeNumber((Double) value);
      case BOOLEAN -> gen.writeBoolean((Boolean) value);
      case INT_LIST -> {
        int[] values = (int[]) value;
        gen.writeArray(values, 0, values.length);
      }
      case DOUBLE_LIST -> {
        gen.writeStartArray();
        for (double v : (double[]) value) {
          if (Double.isFinite(v)) {
            gen.writeNumber(v);
          } else {
            gen.writeNull();
          }
        }
        gen.writeEndArray();
      }
      case STRING_LIST -> {
        gen.writeStartArray();
        for (String v : (List<String>) value) {
          gen.writeString(v);
        }
        gen.writeEndArray();
      }
      case JSON_OBJECT -> {
        gen.writeStartObject();
        for (Map.Entry<String, Double> e : ((Map<String, Double>) value).entrySet()) {
          gen.writeNumberField(e.getKey(), e.getValue());
        }
        gen.writeEndObject();
      }
      case STRUCT -> {
        Object[] members = (Object[]) value;
        gen.writeStartObject();
        for (int i = 0; i < c.fields().size(); i++) {
          gen.writeFieldName(c.fields().get(i).name());
          writeValue(gen, c.fields().get(i), members[i]);
        }
        gen.writeEndObject();
      }
      default -> throw new IllegalStateException("unknown column kind " + c.kind());
    }
  }
}

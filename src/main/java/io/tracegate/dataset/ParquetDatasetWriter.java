package io.tracegate.dataset;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Types;

/**
 * Parquet output through parquet-mr with parquet-floor's stub Hadoop classes (no Hadoop on the classpath).
 * parquet-floor's own writer handles only flat columns, so this class writes records through a small
 * {@link WriteSupport}. Lists use the standard 3-level LIST encoding ({@code <name> (LIST) { repeated group list
 * { element } }}) that DuckDB, pyarrow/pandas and Hugging Face datasets all read as lists. {@code rewards} is a
 * JSON object string rather than a Parquet MAP, because Hugging Face datasets cannot load MAP columns.
 * Snappy pages, format v1 data pages (the most widely readable), row groups of at most 64 MiB buffered in memory.
 * The column schema is {@link #SCHEMA}; docs/dataset.md describes it.
 */
public final class ParquetDatasetWriter implements DatasetWriter {

  /** Row group bound: the writer buffers one row group in memory. */
  private static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final MessageType SCHEMA = Types.buildMessage()
      .optional(BINARY).as(stringType()).named("rollout_id")
      .optional(BINARY).as(stringType()).named("attempt_id")
      .optional(INT64).named("sequence_id")
      .required(INT64).named("turn")
      .optional(BINARY).as(stringType()).named("model")
      .requiredList().requiredElement(INT32).named("prompt_token_ids")
      .requiredList().requiredElement(INT32).named("response_token_ids")
      .optionalList().optionalElement(DOUBLE).named("response_logprobs")
      .optional(DOUBLE).named("reward")
      .required(BINARY).as(stringType()).named("rewards")
      .optional(BINARY).as(stringType()).named("messages")
      .optional(BINARY).as(stringType()).named("response_text")
      .optional(BINARY).as(stringType()).named("span_id")
      .optionalList().requiredElement(INT32).named("loss_mask")
      .optional(BINARY).as(stringType()).named("model_version")
      .named("triplet");

  private final ParquetWriter<Triplet> writer;
  private long count;

  /** Writes to {@code out} (only appended to, never sought) and closes it on {@link #close()}. */
  public ParquetDatasetWriter(OutputStream out) throws IOException {
    writer = new Builder(new StreamOutputFile(Objects.requireNonNull(out, "out")))
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .build();
  }

  /** Creates (or replaces) the file. */
  public static ParquetDatasetWriter create(Path file) throws IOException {
    return new ParquetDatasetWriter(Files.newOutputStream(file));
  }

  @Override
  public void write(Triplet triplet) throws IOException {
    writer.write(triplet);
    count++;
  }

  @Override
  public long count() {
    return count;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  /** The {@code rewards} column's text: a JSON object of name to value, {@code {}} when none. */
  static String rewardsJson(Map<String, Double> rewards) {
    try {
      return JSON.writeValueAsString(rewards);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise rewards " + rewards, e);
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Triplet, Builder> {
    Builder(StreamOutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Triplet> getWriteSupport(Configuration conf) {
      return new TripletWriteSupport();
    }
  }

  /** Emits one triplet as one record; field indexes follow {@link #SCHEMA}. */
  private static final class TripletWriteSupport extends WriteSupport<Triplet> {
    private RecordConsumer rc;

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, Map.of("tracegate.schema", "triplet/2"));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.rc = recordConsumer;
    }

    @Override
    public void write(Triplet t) {
      rc.startMessage();
      string("rollout_id", 0, t.rolloutId());
      string("attempt_id", 1, t.attemptId());
      if (t.sequenceId() != null) {
        rc.startField("sequence_id", 2);
        rc.addLong(t.sequenceId());
        rc.endField("sequence_id", 2);
      }
      rc.startField("turn", 3);
      rc.addLong(t.turn());
      rc.endField("turn", 3);
      string("model", 4, t.model());
      ints("prompt_token_ids", 5, t.promptTokenIds());
      ints("response_token_ids", 6, t.responseTokenIds());
      doubles("response_logprobs", 7, t.responseLogprobs());
      if (t.reward() != null) {
        rc.startField("reward", 8);
        rc.addDouble(t.reward());
        rc.endField("reward", 8);
      }
      string("rewards", 9, rewardsJson(t.rewards()));
      string("messages", 10, t.messages());
      string("response_text", 11, t.responseText());
      string("span_id", 12, t.spanId());
      ints("loss_mask", 13, t.lossMask());
      string("model_version", 14, t.modelVersion());
      rc.endMessage();
    }

    private void string(String name, int index, String value) {
      if (value != null) {
        rc.startField(name, index);
        rc.addBinary(Binary.fromString(value));
        rc.endField(name, index);
      }
    }

    private void ints(String name, int index, int[] values) {
      if (values == null) {
        return;
      }
      rc.startField(name, index);
      rc.startGroup();
      if (values.length > 0) {
        rc.startField("list", 0);
        for (int v : values) {
          rc.startGroup();
          rc.startField("element", 0);
          rc.addInteger(v);
          rc.endField("element", 0);
          rc.endGroup();
        }
        rc.endField("list", 0);
      }
      rc.endGroup();
      rc.endField(name, index);
    }

    /** Non-finite values become null elements, as in JSONL. */
    private void doubles(String name, int index, double[] values) {
      if (values == null) {
        return;
      }
      rc.startField(name, index);
      rc.startGroup();
      if (values.length > 0) {
        rc.startField("list", 0);
        for (double v : values) {
          rc.startGroup();
          if (Double.isFinite(v)) {
            rc.startField("element", 0);
            rc.addDouble(v);
            rc.endField("element", 0);
          }
          rc.endGroup();
        }
        rc.endField("list", 0);
      }
      rc.endGroup();
      rc.endField(name, index);
    }
  }
}

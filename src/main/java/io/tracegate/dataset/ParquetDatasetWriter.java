package io.tracegate.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

/**
 * Parquet output through parquet-mr with parquet-floor's stub Hadoop classes (no Hadoop on the classpath).
 * parquet-floor's own writer handles only flat columns, so this class writes records through a small
 * {@link WriteSupport} driven by the {@link TrainerSchema}'s columns. Lists use the standard 3-level LIST encoding
 * ({@code <name> (LIST) { repeated group list { element } }}) that DuckDB, pyarrow/pandas and Hugging Face datasets
 * all read as lists. {@code rewards} is a JSON object string rather than a Parquet MAP, because Hugging Face
 * datasets cannot load MAP columns. Snappy pages, format v1 data pages (the most widely readable), row groups of
 * at most 64 MiB buffered in memory. docs/dataset.md describes the layouts.
 */
public final class ParquetDatasetWriter implements DatasetWriter {

  /** Row group bound: the writer buffers one row group in memory. */
  private static final long ROW_GROUP_BYTES = 64L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** tracegate's layout without group statistics. */
  public static final MessageType SCHEMA = TrainerSchema.TRACEGATE.rows(false).parquet();

  private final ParquetWriter<ExportRow> writer;
  private long count;

  /** Writes tracegate's layout to {@code out} (only appended to, never sought) and closes it on {@link #close()}. */
  public ParquetDatasetWriter(OutputStream out) throws IOException {
    this(out, TrainerSchema.TRACEGATE, false);
  }

  /** Writes {@code schema}'s layout (plus the group statistics columns when {@code groupStats}). */
  public ParquetDatasetWriter(OutputStream out, TrainerSchema schema, boolean groupStats) throws IOException {
    writer = new Builder(new StreamOutputFile(Objects.requireNonNull(out, "out")), schema.rows(groupStats))
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .build();
  }

  /** Creates (or replaces) the file. */
  public static ParquetDatasetWriter create(Path file) throws IOException {
    return new ParquetDatasetWriter(Files.newOutputStream(file));
  }

  /** Creates (or replaces) the file, in {@code schema}'s layout. */
  public static ParquetDatasetWriter create(Path file, TrainerSchema schema, boolean groupStats) throws IOException {
    return new ParquetDatasetWriter(Files.newOutputStream(file), schema, groupStats);
  }

  @Override
  public void write(Triplet triplet) throws IOException {
    write(ExportRow.alone(triplet, count));
  }

  @Override
  public void write(ExportRow row) throws IOException {
    writer.write(row);
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

  private static final class Builder extends ParquetWriter.Builder<ExportRow, Builder> {
    private final RowSchema schema;

    Builder(StreamOutputFile file, RowSchema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<ExportRow> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema);
    }
  }

  /** Emits one row as one record; field indexes follow the schema's columns. */
  private static final class RowWriteSupport extends WriteSupport<ExportRow> {
    private final RowSchema schema;
    private final MessageType parquet;
    private RecordConsumer rc;

    RowWriteSupport(RowSchema schema) {
      this.schema = schema;
      this.parquet = schema.parquet();
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(parquet, Map.of("tracegate.schema", schema.tag()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.rc = recordConsumer;
    }

    @Override
    public void write(ExportRow row) {
      rc.startMessage();
      List<Column> columns = schema.columns();
      for (int i = 0; i < columns.size(); i++) {
        Column c = columns.get(i);
        field(c, i, c.value().apply(row));
      }
      rc.endMessage();
    }

    @SuppressWarnings("unchecked")
    private void field(Column c, int index, Object value) {
      if (value == null) {
        return;
      }
      String name = c.name();
      rc.startField(name, index);
      switch (c.kind()) {
        case STRING -> rc.addBinary(Binary.fromString((String) value));
        case JSON_OBJECT -> rc.addBinary(Binary.fromString(rewardsJson((Map<String, Double>) value)));
        case LONG -> rc.addLong(((Number) value).longValue());
        case DOUBLE -> rc.addDouble((Double) value);
        case BOOLEAN -> rc.addBoolean((Boolean) value);
        case INT_LIST -> {
          int[] values = (int[]) value;
          list(values.length, i -> rc.addInteger(values[i]), i -> true);
        }
        case DOUBLE_LIST -> {
          // non-finite values become null elements, as in JSONL
          double[] values = (double[]) value;
          list(values.length, i -> rc.addDouble(values[i]), i -> Double.isFinite(values[i]));
        }
        case STRING_LIST -> {
          List<String> values = (List<String>) value;
          list(values.size(), i -> rc.addBinary(Binary.fromString(values.get(i))), i -> true);
        }
        case STRUCT -> {
          Object[] members = (Object[]) value;
          rc.startGroup();
          for (int i = 0; i < c.fields().size(); i++) {
            field(c.fields().get(i), i, members[i]);
          }
          rc.endGroup();
        }
        default -> throw new IllegalStateException("unknown column kind " + c.kind());
      }
      rc.endField(name, index);
    }

    /** A 3-level LIST group: {@code present(i)} false writes a null element. */
    private void list(int size, java.util.function.IntConsumer add, java.util.function.IntPredicate present) {
      rc.startGroup();
      if (size > 0) {
        rc.startField("list", 0);
        for (int i = 0; i < size; i++) {
          rc.startGroup();
          if (present.test(i)) {
            rc.startField("element", 0);
            add.accept(i);
            rc.endField("element", 0);
          }
          rc.endGroup();
        }
        rc.endField("list", 0);
      }
      rc.endGroup();
    }
  }
}

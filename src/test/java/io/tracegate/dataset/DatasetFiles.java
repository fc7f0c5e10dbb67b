package io.tracegate.dataset;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/** Reads exported files back into triplets, independently of the writers (JSON tree, parquet-mr Group API). */
final class DatasetFiles {

  private DatasetFiles() {}

  static List<Triplet> readJsonl(Path file) throws IOException {
    List<Triplet> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      JsonNode n = Spans.JSON.readTree(line);
      Map<String, Double> rewards = Spans.JSON.convertValue(n.get("rewards"), new TypeReference<>() {});
      out.add(new Triplet(text(n, "rollout_id"), text(n, "attempt_id"),
          n.get("sequence_id").isNull() ? null : n.get("sequence_id").asLong(), n.get("turn").asLong(),
          text(n, "model"), ints(n.get("prompt_token_ids")), ints(n.get("response_token_ids")),
          doubles(n.get("response_logprobs")), n.get("reward").isNull() ? null : n.get("reward").asDouble(),
          rewards, text(n, "messages"), text(n, "response_text"), text(n, "span_id"), ints(n.get("loss_mask")),
          text(n, "model_version"), text(n, "group_id"),
          n.get("branch").isNull() ? null : n.get("branch").asLong(), n.get("turns").asInt(),
          text(n, "stop_reason")));
    }
    return out;
  }

  static List<Triplet> readParquet(Path file) throws IOException {
    List<Triplet> out = new ArrayList<>();
    try (ParquetFileReader reader =
        ParquetFileReader.open(blue.strategic.parquet.ParquetReader.makeInputFile(file.toFile()))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records =
            new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          out.add(triplet(records.read()));
        }
      }
    }
    return out;
  }

  static MessageType parquetSchema(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(blue.strategic.parquet.ParquetReader.makeInputFile(file.toFile()))) {
      return reader.getFooter().getFileMetaData().getSchema();
    }
  }

  private static Triplet triplet(Group g) throws IOException {
    Map<String, Double> rewards = Spans.JSON.readValue(g.getString("rewards", 0), new TypeReference<>() {});
    return new Triplet(string(g, "rollout_id"), string(g, "attempt_id"),
        has(g, "sequence_id") ? g.getLong("sequence_id", 0) : null, g.getLong("turn", 0), string(g, "model"),
        intList(g, "prompt_token_ids"), intList(g, "response_token_ids"), doubleList(g, "response_logprobs"),
        has(g, "reward") ? g.getDouble("reward", 0) : null, new LinkedHashMap<>(rewards), string(g, "messages"),
        string(g, "response_text"), string(g, "span_id"), intList(g, "loss_mask"), string(g, "model_version"),
        string(g, "group_id"), has(g, "branch") ? g.getLong("branch", 0) : null, (int) g.getLong("turns", 0),
        string(g, "stop_reason"));
  }

  private static boolean has(Group g, String field) {
    return g.getFieldRepetitionCount(field) > 0;
  }

  private static String string(Group g, String field) {
    return has(g, field) ? g.getString(field, 0) : null;
  }

  private static int[] intList(Group g, String field) {
    if (!has(g, field)) {
      return null;
    }
    Group list = g.getGroup(field, 0);
    int n = list.getFieldRepetitionCount("list");
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = list.getGroup("list", i).getInteger("element", 0);
    }
    return out;
  }

  /** A null element reads as NaN, the value it was written from. */
  private static double[] doubleList(Group g, String field) {
    if (!has(g, field)) {
      return null;
    }
    Group list = g.getGroup(field, 0);
    int n = list.getFieldRepetitionCount("list");
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      Group element = list.getGroup("list", i);
      out[i] = element.getFieldRepetitionCount("element") == 0 ? Double.NaN : element.getDouble("element", 0);
    }
    return out;
  }

  private static String text(JsonNode n, String field) {
    return n.get(field).isNull() ? null : n.get(field).asText();
  }

  private static int[] ints(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    int[] out = new int[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).intValue();
    }
    return out;
  }

  private static double[] doubles(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).isNull() ? Double.NaN : n.get(i).doubleValue();
    }
    return out;
  }
}

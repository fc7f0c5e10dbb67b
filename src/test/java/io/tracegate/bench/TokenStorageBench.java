package io.tracegate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.jdbc.PackedArrays;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.trace.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Token-id storage of one long agent rollout (bench/token-storage.sh runs it; not a JUnit test). Turn k's
 * prompt is every earlier prompt and response plus NEW fresh tool/user ids; each response has RESPONSE ids
 * with float32-exact logprobs (as vLLM returns them). Ids are uniform in [0, 150000): a worst case for the
 * varint encoding, real text has many ids below 16,384. Writes the rollout through {@link SqliteSpanStore}
 * (one append per turn, as the batching writer would under light load), then prints the bytes the token ids
 * take as stored, the same ids as JSON text (every span's full arrays, what a naive store keeps), both
 * files' sizes after VACUUM, and checks that reading back returns identical arrays.
 *
 * <p>Arguments (optional): turns, new ids per turn, response ids per turn, output directory.
 */
public final class TokenStorageBench {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenStorageBench() {}

  public static void main(String[] args) throws Exception {
    int turns = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int fresh = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int response = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    Path dir = Path.of(args.length > 3 ? args[3] : "target/token-storage-bench");
    Files.createDirectories(dir);
    Path compactFile = dir.resolve("compact.db");
    Path jsonFile = dir.resolve("json-ids.db");
    Files.deleteIfExists(compactFile);
    Files.deleteIfExists(jsonFile);

    List<Span> spans = rollout(turns, fresh, response, 42);
    long totalIds = 0;
    long jsonBytes = 0;
    for (Span s : spans) {
      totalIds += s.promptTokenIds().length + s.responseTokenIds().length;
      jsonBytes += JSON.writeValueAsBytes(s.promptTokenIds()).length + JSON.writeValueAsBytes(s.responseTokenIds()).length;
    }

    long writeStart = System.nanoTime();
    try (SqliteSpanStore store = SqliteSpanStore.open(compactFile)) {
      for (Span s : spans) {
        store.append(List.of(s));
      }
    }
    double writeMs = (System.nanoTime() - writeStart) / 1e6;

    long storedIdBytes;
    long storedIds;
    long logprobBytes;
    long zigzagDeltaBytes = 0;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + compactFile.toAbsolutePath());
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT SUM(length(prompt_token_ids) + length(response_token_ids)),"
          + " SUM(length(response_logprobs)) FROM spans")) {
        rs.next();
        storedIdBytes = rs.getLong(1);
        logprobBytes = rs.getLong(2);
      }
      storedIds = 0;
      try (ResultSet rs = st.executeQuery("SELECT prompt_token_ids, response_token_ids FROM spans")) {
        while (rs.next()) {
          for (int col = 1; col <= 2; col++) {
            int[] ids = PackedArrays.decodeVarints(rs.getBytes(col));
            storedIds += ids.length;
            zigzagDeltaBytes += zigzagDeltaSize(ids);
          }
        }
      }
      st.execute("VACUUM");
    }
    writeJsonBaseline(jsonFile, spans);

    long readStart = System.nanoTime();
    List<Span> read = new ArrayList<>();
    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(compactFile)) {
      String cursor = null;
      do {
        SpanPage page = store.query(new SpanQuery("bench", null, null, null, 100, cursor));
        read.addAll(page.spans());
        cursor = page.nextCursor();
      } while (cursor != null);
      double pageMs = (System.nanoTime() - readStart) / 1e6;
      long findStart = System.nanoTime();
      Span last = store.find(spans.get(spans.size() - 1).spanId()).orElseThrow();
      double findMs = (System.nanoTime() - findStart) / 1e6;
      check(List.of(last), spans.subList(spans.size() - 1, spans.size()));
      check(read, spans);

      Span final_ = spans.get(spans.size() - 1);
      System.out.printf("rollout: %d turns, %d new + %d response ids per turn, final prompt %,d ids%n",
          turns, fresh, response, final_.promptTokenIds().length);
      System.out.printf("token ids in spans (full arrays):      %,12d ids%n", totalIds);
      System.out.printf("token ids actually stored:             %,12d ids (unique: %,d)%n", storedIds,
          (long) turns * (fresh + response));
      System.out.printf("stored token-id blobs (varint):        %,12d bytes%n", storedIdBytes);
      System.out.printf("  same stored ids as int32 LE:         %,12d bytes%n", storedIds * 4);
      System.out.printf("  same stored ids as zigzag-delta:     %,12d bytes%n", zigzagDeltaBytes);
      System.out.printf("full arrays as int32 (schema v1):      %,12d bytes%n", totalIds * 4);
      System.out.printf("full arrays as JSON text (naive):      %,12d bytes%n", jsonBytes);
      System.out.printf("ratio JSON / stored blobs:             %12.1fx%n", (double) jsonBytes / storedIdBytes);
      System.out.printf("logprob blobs (float32, lossless):     %,12d bytes%n", logprobBytes);
      System.out.printf("compact store file after VACUUM:       %,12d bytes (all columns, logprobs included)%n",
          Files.size(compactFile));
      System.out.printf("JSON-ids-only SQLite file after VACUUM: %,11d bytes%n", Files.size(jsonFile));
      System.out.printf("file ratio:                            %12.1fx%n",
          (double) Files.size(jsonFile) / Files.size(compactFile));
      System.out.printf("write %d appends: %.0f ms; read all pages: %.1f ms; find last span: %.1f ms%n",
          turns, writeMs, pageMs, findMs);
      System.out.println("round trip: every span's prompt, response and logprobs identical");
      System.out.println("files: " + dir);
    }
  }

  static List<Span> rollout(int turns, int fresh, int response, long seed) {
    Random random = new Random(seed);
    List<Span> spans = new ArrayList<>();
    int[] context = new int[0];
    for (int k = 1; k <= turns; k++) {
      int[] prompt = Arrays.copyOf(context, context.length + fresh);
      for (int i = context.length; i < prompt.length; i++) {
        prompt[i] = random.nextInt(150_000);
      }
      int[] out = random.ints(response, 0, 150_000).toArray();
      double[] logprobs = new double[response];
      for (int i = 0; i < response; i++) {
        logprobs[i] = -random.nextFloat() * 10f;
      }
      long t = 1_700_000_000_000_000_000L + k * 1_000_000_000L;
      spans.add(new Span(String.format("%016x", k), "0af7651916cd43dd8448eb211c80319c", null, "bench", "a1",
          (long) k, Span.KIND_LLM, "chat m", t, t + 500_000_000L, null, Span.STATUS_OK, null, "openai", "m",
          "openai", "vllm", "m", null, null, null, null, null, prompt, out, logprobs, Map.of()));
      context = Arrays.copyOf(prompt, prompt.length + out.length);
      System.arraycopy(out, 0, context, prompt.length, out.length);
    }
    return spans;
  }

  private static void writeJsonBaseline(Path file, List<Span> spans) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE spans (span_id TEXT PRIMARY KEY, prompt_token_ids TEXT,"
          + " response_token_ids TEXT)");
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO spans VALUES (?, ?, ?)")) {
        for (Span s : spans) {
          ps.setString(1, s.spanId());
          ps.setString(2, JSON.writeValueAsString(s.promptTokenIds()));
          ps.setString(3, JSON.writeValueAsString(s.responseTokenIds()));
          ps.executeUpdate();
        }
      }
      c.commit();
      c.setAutoCommit(true);
      st.execute("VACUUM");
    }
  }

  private static long zigzagDeltaSize(int[] ids) {
    long size = 0;
    int prev = 0;
    for (int id : ids) {
      int delta = id - prev;
      size += PackedArrays.varintSize((delta << 1) ^ (delta >> 31));
      prev = id;
    }
    return size;
  }

  private static void check(List<Span> read, List<Span> expected) throws SQLException {
    if (read.size() != expected.size()) {
      throw new AssertionError("read " + read.size() + " spans, expected " + expected.size());
    }
    for (int i = 0; i < read.size(); i++) {
      Span a = read.get(i);
      Span e = expected.get(i);
      if (!a.spanId().equals(e.spanId()) || !Arrays.equals(a.promptTokenIds(), e.promptTokenIds())
          || !Arrays.equals(a.responseTokenIds(), e.responseTokenIds())
          || !Arrays.equals(a.responseLogprobs(), e.responseLogprobs())) {
        throw new AssertionError("span " + e.spanId() + " did not round-trip");
      }
    }
  }
}

package io.tracegate.store.sqlite;

import io.tracegate.store.jdbc.BodyParts;
import io.tracegate.store.jdbc.BodyPartsTest;
import io.tracegate.store.jdbc.PartReader;
import io.tracegate.store.jdbc.PackedArrays;
import io.tracegate.store.jdbc.SpanRows;
import io.tracegate.store.jdbc.TokenChains;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.StoreException;
import io.tracegate.trace.RawJson;
import io.tracegate.trace.Span;
import io.tracegate.protocol.json.ByteHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies stored with their repeated pieces once: an agent conversation reads back byte for byte,
 * takes a fraction of the space, stays JSON for ad-hoc SQL, and survives rollbacks, restarts, hash
 * collisions and the v3 -> v4 migration.
 */
class BodyPartsStorageTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static ObjectNode claudeCode;

  @TempDir Path dir;

  @BeforeAll
  static void loadFixture() throws Exception {
    claudeCode = (ObjectNode) MAPPER.readTree(BodyPartsTest.claudeCodeBody());
  }

  /** Turn k of a conversation: the fixture's system prompt and tools, and k messages, some long. */
  private static byte[] turn(int k, long seed) throws Exception {
    Random random = new Random(seed);
    ObjectNode body = claudeCode.deepCopy();
    ArrayNode messages = body.putArray("messages");
    for (int i = 0; i < k; i++) {
      int length = random.nextInt(3) == 0 ? 200 : 1000 + random.nextInt(8000);
      StringBuilder text = new StringBuilder("turn " + i + " caf\u00e9 \u4e2d \"quoted\" {braces} [x]\n");
      while (text.length() < length) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      messages.addObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", text.toString());
    }
    return MAPPER.writeValueAsBytes(body);
  }

  /** What an OpenAI upstream would get for the same turn: system as the first message, the same tools. */
  private static byte[] upstream(byte[] request) throws Exception {
    JsonNode in = MAPPER.readTree(request);
    ObjectNode out = MAPPER.createObjectNode().put("model", "qwen");
    ArrayNode messages = out.putArray("messages");
    messages.addObject().put("role", "system").set("content", in.get("system"));
    in.get("messages").forEach(messages::add);
    out.set("tools", in.get("tools"));
    return MAPPER.writeValueAsBytes(out);
  }

  private static Span span(String id, long start, byte[] request, byte[] upstream) {
    return new Span(id, "t", null, "r", "a", start, Span.KIND_LLM, "chat", start * 1000, start * 1000 + 5, null,
        Span.STATUS_OK, null, "anthropic", "claude", "openai", "vllm", "qwen", null, null,
        request == null ? null : RawJson.of(request), RawJson.of("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8)),
        upstream == null ? null : RawJson.of(upstream), null, null, null, Map.of());
  }

  @Test
  void aConversationReadsBackByteForByteInAFractionOfTheSpace() throws Exception {
    Path file = dir.resolve("conv.db");
    int turns = 12;
    List<Span> spans = new ArrayList<>();
    Set<ByteBuffer> distinct = new HashSet<>();
    long original = 0;
    for (int k = 1; k <= turns; k++) {
      byte[] request = turn(k, 99);
      byte[] upstream = upstream(request);
      spans.add(span(String.format("s%02d", k), k, request, upstream));
      original += request.length + upstream.length;
      for (byte[] body : List.of(request, upstream)) {
        int[] ranges = BodyParts.locate(body);
        for (int i = 0; i < ranges.length; i += 2) {
          distinct.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(body, ranges[i], ranges[i + 1])));
        }
      }
    }
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(spans.subList(0, 5));
      store.append(spans.subList(5, turns));
      for (Span s : spans) {
        Span back = store.find(s.spanId()).orElseThrow();
        assertThat(back.request()).isEqualTo(RawJson.materialize(s.request()));
        assertThat(back.upstreamRequest()).isEqualTo(RawJson.materialize(s.upstreamRequest()));
      }
      List<Span> listed = store.query(SpanQuery.forRollout("r")).spans();
      assertThat(listed).hasSize(turns);
      for (int i = 0; i < turns; i++) {
        assertThat(listed.get(i).request()).isEqualTo(RawJson.materialize(spans.get(i).request()));
      }
    }
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      for (Span s : spans) {
        assertThat(storedBody(c, s.spanId(), "request")).isEqualTo(RawJson.rawUtf8(s.request()));
        assertThat(storedBody(c, s.spanId(), "upstream_request")).isEqualTo(RawJson.rawUtf8(s.upstreamRequest()));
      }
      assertThat(longOf(st, "SELECT COUNT(*) FROM payload_parts")).isEqualTo(distinct.size());
      long stored = longOf(st, "SELECT SUM(length(CAST(request AS BLOB)) + length(CAST(upstream_request AS BLOB)))"
          + " FROM spans") + longOf(st, "SELECT SUM(length(CAST(json AS BLOB))) FROM payload_parts");
      assertThat(stored).isLessThan(original / 5);
      // the columns stay JSON: SQL reads the small members and sees placeholders for the pieces
      assertThat(longOf(st, "SELECT COUNT(*) FROM spans WHERE json_valid(request) AND json_valid(upstream_request)"
          + " AND json_extract(request, '$.model') = 'claude-sonnet-4-5-20250929'")).isEqualTo(turns);
      assertThat(longOf(st, "SELECT COUNT(*) FROM spans s JOIN payload_parts p"
          + " ON p.part_id = json_extract(s.request, '$.tools[0].tracegate_part')")).isEqualTo(turns);
    }
    try (SqliteSpanStore reader = SqliteSpanStore.openReadOnly(file)) {
      assertThat(reader.find("s12").orElseThrow().request()).isEqualTo(RawJson.materialize(spans.get(11).request()));
    }
  }

  @Test
  void aRolledBackBatchLeavesNoPartThatALaterSpanCouldPointTo() throws Exception {
    Path file = dir.resolve("rollback.db");
    byte[] request = turn(3, 5);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      Span bad = span(null, 2, null, null);
      assertThatThrownBy(() -> store.append(List.of(span("first", 1, request, null), bad)))
          .isInstanceOf(StoreException.class);
      store.append(List.of(span("second", 3, request, null)));
      assertThat(store.find("second").orElseThrow().request()).isEqualTo(MAPPER.readTree(request));
    }
    try (Connection c = raw(file)) {
      assertThat(storedBody(c, "second", "request")).isEqualTo(request);
    }
  }

  @Test
  void aRestartedWriterFindsThePartsAlreadyStored() throws Exception {
    Path file = dir.resolve("restart.db");
    byte[] request = turn(4, 6);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(span("before", 1, request, null)));
    }
    long parts;
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      parts = longOf(st, "SELECT COUNT(*) FROM payload_parts");
      assertThat(parts).isPositive();
    }
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(span("after", 2, request, null)));
      assertThat(store.find("after").orElseThrow().request()).isEqualTo(MAPPER.readTree(request));
    }
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      assertThat(longOf(st, "SELECT COUNT(*) FROM payload_parts")).isEqualTo(parts);
    }
  }

  @Test
  void aPartWithTheSameHashButOtherBytesIsNotReused() throws Exception {
    Path file = dir.resolve("collision.db");
    byte[] request = turn(2, 7);
    int[] ranges = BodyParts.locate(request);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(span("warm", 1, "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), null)));
      try (Connection c = raw(file); PreparedStatement ps =
          c.prepareStatement("INSERT INTO payload_parts (hash, json) VALUES (?, '\"impostor\"')")) {
        for (int i = 0; i < ranges.length; i += 2) {
          ps.setLong(1, ByteHash.of(request, ranges[i], ranges[i + 1]));
          ps.executeUpdate();
        }
      }
      store.append(List.of(span("real", 2, request, null)));
      assertThat(store.find("real").orElseThrow().request()).isEqualTo(MAPPER.readTree(request));
    }
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      assertThat(storedBody(c, "real", "request")).isEqualTo(request);
      assertThat(longOf(st, "SELECT COUNT(*) FROM payload_parts")).isEqualTo(ranges.length); // impostors + real
    }
  }

  @Test
  void aVersion3FileKeepsItsWholeBodiesAndStoresNewOnesInParts() throws Exception {
    Path file = dir.resolve("v3.db");
    byte[] request = turn(3, 8);
    SqliteSpanStore.open(file).close();
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      st.executeUpdate("ALTER TABLE spans DROP COLUMN model_version"); // v5
      st.executeUpdate("ALTER TABLE spans DROP COLUMN attempts");
      st.executeUpdate("DROP TABLE payload_parts");
      st.executeUpdate("ALTER TABLE spans DROP COLUMN request_parts");
      st.executeUpdate("ALTER TABLE spans DROP COLUMN upstream_request_parts");
      st.executeUpdate("PRAGMA user_version = 3");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO spans (span_id, start_time_unix_nano,"
          + " end_time_unix_nano, request) VALUES ('old', 1, 2, CAST(? AS TEXT))")) {
        ps.setBytes(1, request);
        ps.executeUpdate();
      }
    }
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(span("new", 3, request, null)));
      assertThat(store.find("old").orElseThrow().request()).isEqualTo(MAPPER.readTree(request));
      assertThat(store.find("new").orElseThrow().request()).isEqualTo(MAPPER.readTree(request));
    }
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      assertThat(longOf(st, "SELECT COUNT(*) FROM spans WHERE request_parts IS NULL AND span_id = 'old'"))
          .isEqualTo(1);
      assertThat(longOf(st, "SELECT COUNT(*) FROM spans WHERE request_parts IS NOT NULL AND span_id = 'new'"))
          .isEqualTo(1);
    }
  }

  @Test
  void aMissingPartIsReportedAsCorruptData() throws Exception {
    Path file = dir.resolve("missing.db");
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(span("m1", 1, turn(2, 9), null)));
      try (Connection c = raw(file); Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM payload_parts");
      }
      assertThatThrownBy(() -> store.find("m1")).isInstanceOf(StoreException.class)
          .hasMessageContaining("corrupt").hasMessageContaining("missing");
    }
  }

  /** A body column rebuilt from the file with the same code the store reads with. */
  private static byte[] storedBody(Connection c, String spanId, String column) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + column + ", " + column + "_parts FROM spans WHERE span_id = ?")) {
      ps.setString(1, spanId);
      try (ResultSet rs = ps.executeQuery(); PartReader parts = new PartReader(c)) {
        rs.next();
        byte[] text = rs.getBytes(1);
        byte[] refs = rs.getBytes(2);
        return refs == null ? text : BodyParts.join(text, refs, parts);
      }
    }
  }

  private static long longOf(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Connection raw(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}

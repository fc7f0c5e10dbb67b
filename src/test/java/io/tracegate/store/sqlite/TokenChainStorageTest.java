package io.tracegate.store.sqlite;

import io.tracegate.store.jdbc.BodyParts;
import io.tracegate.store.jdbc.PackedArrays;
import io.tracegate.store.jdbc.SpanRows;
import io.tracegate.store.jdbc.TokenChains;
import static io.tracegate.store.SpanFixtures.assertSameSpan;
import static io.tracegate.store.SpanFixtures.assertSameSpans;
import static io.tracegate.store.SpanFixtures.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.store.SpanFixtures;
import io.tracegate.store.SpanPage;
import io.tracegate.store.SpanQuery;
import io.tracegate.store.StoreException;
import io.tracegate.trace.Span;
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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How prompt token ids are laid out on disk: prefix references within a rollout, and the v1 -> v2 migration. */
class TokenChainStorageTest {

  @TempDir Path dir;

  @Test
  void chainsAcrossBatchesAndAcrossReopeningTheStore() throws SQLException {
    Path file = dir.resolve("chain.db");
    List<Span> turns = SpanFixtures.conversation("r", 20, 200, 30, 1);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      for (Span t : turns.subList(0, 10)) {
        store.append(List.of(t));
      }
    }
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(turns.subList(10, 15));
      store.append(turns.subList(15, 20));
      assertSameSpans(store.query(new SpanQuery("r", null, null, null, 1000, null)).spans(), turns);
    }
    List<Layout> rows = layouts(file);
    assertThat(rows.get(0).base()).isNull();
    assertThat(rows.get(0).storedIds()).isEqualTo(200);
    for (int k = 1; k < turns.size(); k++) {
      Layout row = rows.get(k);
      assertThat(row.base()).as("turn %d", k + 1).isEqualTo(turns.get(k - 1).spanId());
      assertThat(row.prefix()).isEqualTo(k * 230);
      assertThat(row.storedIds()).as("only the new ids are stored").isEqualTo(200);
    }
    try (SqliteSpanStore reader = SqliteSpanStore.openReadOnly(file)) {
      for (Span t : turns) {
        assertSameSpan(reader.find(t.spanId()).orElseThrow(), t);
      }
    }
  }

  @Test
  void aPromptThatExtendsOnlyThePreviousPromptSharesThePromptAndTheAgreeingResponseIds() throws SQLException {
    Path file = dir.resolve("retok.db");
    int[] p1 = ids(100, 1);
    int[] r1 = {7, 8, 9, 10};
    // The client re-tokenised the response: 7, 8 agree, then it differs.
    int[] p2 = concat(p1, new int[] {7, 8, 99, 98}, ids(50, 2));
    int[] p3 = concat(p1, ids(60, 3));
    Span s1 = tokens("s1", "r", "a", 1, p1, r1, null);
    Span s2 = tokens("s2", "r", "a", 2, p2, new int[] {5}, null);
    Span s3 = tokens("s3", "r", "a", 3, p3, new int[0], null);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(s1, s2));
      store.append(List.of(s3));
      assertSameSpans(store.query(SpanQuery.forRollout("r")).spans(), List.of(s1, s2, s3));
    }
    List<Layout> rows = layouts(file);
    assertThat(rows.get(1)).isEqualTo(new Layout("s2", "s1", 102, p2.length - 102));
    // s3 shares 100 ids with s1 and with s2; the most recent (s2) wins the tie.
    assertThat(rows.get(2)).isEqualTo(new Layout("s3", "s2", 100, 60));
  }

  @Test
  void unrelatedPromptsAndOtherRolloutsAreStoredWhole() throws SQLException {
    Path file = dir.resolve("unrelated.db");
    int[] shared = ids(500, 4);
    Span a1 = tokens("a1", "ra", "x", 1, shared, ids(10, 5), null);
    Span b1 = tokens("b1", "rb", "x", 1, shared, ids(10, 5), null);
    Span a2 = tokens("a2", "ra", "x", 2, ids(500, 6), ids(10, 7), null);
    Span n1 = tokens("n1", null, null, 1, shared, ids(10, 5), null);
    Span shortOne = tokens("a3", "ra", "x", 3, Arrays.copyOf(shared, TokenChains.MIN_PREFIX - 1), null, null);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(a1, b1, n1));
      store.append(List.of(a2, shortOne));
      for (Span s : List.of(a1, b1, a2, n1, shortOne)) {
        assertSameSpan(store.find(s.spanId()).orElseThrow(), s);
      }
    }
    for (Layout row : layouts(file)) {
      assertThat(row.base()).as(row.spanId()).isNull();
    }
  }

  @Test
  void pagesOfALongChainReturnFullArrays() {
    List<Span> turns = SpanFixtures.conversation("long", 80, 100, 20, 9);
    try (SqliteSpanStore store = SqliteSpanStore.open(dir.resolve("long.db"))) {
      for (int from = 0; from < turns.size(); from += 3) {
        store.append(turns.subList(from, Math.min(turns.size(), from + 3)));
      }
      List<Span> seen = new ArrayList<>();
      String cursor = null;
      do {
        SpanPage page = store.query(new SpanQuery("long", null, null, null, 11, cursor));
        seen.addAll(page.spans());
        cursor = page.nextCursor();
      } while (cursor != null);
      assertSameSpans(seen, turns);
      // A page starting mid-chain: its first span's bases are loaded by one chain query.
      SpanPage tail = store.query(new SpanQuery("long", null, null, 70_000L, 5, null));
      assertSameSpans(tail.spans(), turns.subList(69, 74));
    }
  }

  @Test
  void storesLogprobsAsFloat32OnlyWhenLossless() throws SQLException {
    Path file = dir.resolve("lp.db");
    Span exact = tokens("f", "r", null, 1, null, new int[] {1}, new double[] {-0.5f, (double) -1.2345678f});
    Span inexact = tokens("d", "r", null, 2, null, new int[] {1}, new double[] {-0.1});
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(List.of(exact, inexact));
      assertSameSpan(store.find("f").orElseThrow(), exact);
      assertSameSpan(store.find("d").orElseThrow(), inexact);
    }
    try (Connection c = raw(file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT array_format, length(response_logprobs) FROM spans ORDER BY span_id")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(SpanSchema.IDS_VARINT);
      assertThat(rs.getInt(2)).isEqualTo(8);
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(SpanSchema.IDS_VARINT | SpanSchema.LOGPROBS_FLOAT32);
      assertThat(rs.getInt(2)).isEqualTo(8);
    }
  }

  @Test
  void aMissingBaseIsAClearStoreException() throws SQLException {
    Path file = dir.resolve("ghost.db");
    List<Span> turns = SpanFixtures.conversation("r", 3, 50, 5, 2);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      store.append(turns);
      try (Connection c = raw(file); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE spans SET prompt_base_span_id = 'ghost' WHERE span_id = 'r-t002'");
      }
      assertThatThrownBy(() -> store.find("r-t003"))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("r-t002").hasMessageContaining("ghost").hasMessageContaining("not in the store");
      assertThatThrownBy(() -> store.query(SpanQuery.forRollout("r")))
          .isInstanceOf(StoreException.class).hasMessageContaining("ghost");
      assertSameSpan(store.find("r-t001").orElseThrow(), turns.get(0));
      try (Connection c = raw(file); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE spans SET prompt_base_span_id = 'r-t001', prompt_prefix_len = 100000"
            + " WHERE span_id = 'r-t002'");
      }
      assertThatThrownBy(() -> store.find("r-t002"))
          .isInstanceOf(StoreException.class).hasMessageContaining("corrupt").hasMessageContaining("100000");
    }
  }

  @Test
  void migratesAVersion1FileKeepingItsRowsReadableAndUsableAsBases() throws SQLException {
    Path file = dir.resolve("v1.db");
    int[] oldPrompt = ids(300, 11);
    int[] oldResponse = ids(20, 12);
    double[] oldLogprobs = new Random(13).doubles(20, -5, 0).toArray();
    try (Connection c = raw(file); Statement st = c.createStatement()) {
      st.executeUpdate(V1_TABLE);
      st.executeUpdate("PRAGMA user_version = 1");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO spans (span_id, rollout_id, attempt_id,"
          + " sequence_id, kind, start_time_unix_nano, end_time_unix_nano, status, prompt_token_ids,"
          + " response_token_ids, response_logprobs, attributes) VALUES ('old', 'r', 'a', 1, 'llm', 1000, 1500,"
          + " 'ok', ?, ?, ?, '{}')")) {
        ps.setBytes(1, PackedArrays.encodeInts(oldPrompt));
        ps.setBytes(2, PackedArrays.encodeInts(oldResponse));
        ps.setBytes(3, PackedArrays.encodeDoubles(oldLogprobs));
        ps.executeUpdate();
      }
    }
    assertThatThrownBy(() -> SqliteSpanStore.openReadOnly(file))
        .isInstanceOf(StoreException.class).hasMessageContaining("schema version 1")
        .hasMessageContaining("upgrade");

    Span old = new Span("old", null, null, "r", "a", 1L, "llm", null, 1000, 1500, null, "ok", null, null, null,
        null, null, null, null, null, null, null, null, oldPrompt, oldResponse, oldLogprobs, java.util.Map.of());
    Span next = tokens("new", "r", "a", 2, concat(oldPrompt, oldResponse, ids(40, 14)), ids(5, 15), null);
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      assertSameSpan(store.find("old").orElseThrow(), old);
      store.append(List.of(next));
      assertSameSpans(store.query(SpanQuery.forRollout("r")).spans(), List.of(old, next));
      assertThat(store.createRollout("r2", SpanFixtures.json("{\"a\":1}"), 5L)).isTrue();
    }
    try (Connection c = raw(file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(SpanSchema.VERSION);
    }
    assertThat(layouts(file)).containsExactly(new Layout("old", null, 0, 300), new Layout("new", "old", 320, 40));
    try (SqliteSpanStore reader = SqliteSpanStore.openReadOnly(file)) {
      assertSameSpan(reader.find("new").orElseThrow(), next);
      assertThat(reader.rollout("r2").orElseThrow().metadata()).isEqualTo(SpanFixtures.json("{\"a\":1}"));
    }
  }

  /** The spans table exactly as schema version 1 created it. */
  private static final String V1_TABLE = """
      CREATE TABLE spans (
        span_id TEXT PRIMARY KEY NOT NULL, trace_id TEXT, parent_id TEXT, rollout_id TEXT, attempt_id TEXT,
        sequence_id INTEGER, kind TEXT, name TEXT, start_time_unix_nano INTEGER NOT NULL,
        end_time_unix_nano INTEGER NOT NULL, first_token_time_unix_nano INTEGER, status TEXT,
        status_message TEXT, frontend_protocol TEXT, frontend_model TEXT, provider TEXT, backend TEXT,
        backend_model TEXT, has_usage INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER, output_tokens INTEGER,
        cache_read_input_tokens INTEGER, cache_creation_input_tokens INTEGER,
        cache_creation_5m_input_tokens INTEGER, cache_creation_1h_input_tokens INTEGER,
        reasoning_tokens INTEGER, cost_usd REAL, request TEXT, response TEXT, upstream_request TEXT,
        prompt_token_ids BLOB, response_token_ids BLOB, response_logprobs BLOB,
        attributes TEXT NOT NULL DEFAULT '{}'
      )""";

  record Layout(String spanId, String base, int prefix, int storedIds) {}

  /** Each row's prompt layout, in sequence order. */
  private static List<Layout> layouts(Path file) throws SQLException {
    List<Layout> out = new ArrayList<>();
    try (Connection c = raw(file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT span_id, prompt_base_span_id, prompt_prefix_len, prompt_token_ids,"
            + " array_format FROM spans ORDER BY sequence_id, span_id")) {
      while (rs.next()) {
        int[] stored = SpanRows.ids(rs.getBytes(4), rs.getInt(5));
        out.add(new Layout(rs.getString(1), rs.getString(2), rs.getInt(3), stored == null ? -1 : stored.length));
      }
    }
    return out;
  }

  private static int[] ids(int n, long seed) {
    return new Random(seed).ints(n, 0, 150_000).toArray();
  }

  private static int[] concat(int[]... parts) {
    int[] out = new int[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static Connection raw(Path file) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}

package io.tracegate.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tracegate.config.StoreConfig;
import io.tracegate.store.KeyStoreContractTest;
import io.tracegate.store.SpanStore;
import io.tracegate.store.StoredKey;
import io.tracegate.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key store contract on a real PostgreSQL (embedded binaries), one fresh database per test; then what is
 * PostgreSQL's own: the spend query reads the {@code spans_key} expression index, and a v1 database (spans, no
 * keys) upgrades in place with the spend of the spans it already holds.
 */
class PostgresKeyStoreContractTest extends KeyStoreContractTest {
  private StoreConfig config;

  @Override
  protected SpanStore newStore(Path dir) {
    config = TestPostgres.newDatabase();
    return PostgresSpanStore.open(config, false);
  }

  @Test
  void spendByKeyIsAnsweredFromTheKeyIndex() throws SQLException {
    store.append(List.of(KeyStoreContractTest.keyedSpan("s1", 100, "key_a", 0.25)));
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("SET enable_seqscan = off"); // a tiny table: ask whether the index CAN answer, not whether it is cheaper
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = st.executeQuery("EXPLAIN " + PostgresKeyStore.SPEND_SQL)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      List<String> partitionIndexes = new java.util.ArrayList<>(); // spans_key as built on each day partition
      try (ResultSet rs = st.executeQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
          + " WHERE i.inhparent = 'spans_key'::regclass")) {
        while (rs.next()) {
          partitionIndexes.add(rs.getString(1));
        }
      }
      assertThat(partitionIndexes).hasSize(1);
      assertThat(plan.toString()).contains("Index Scan on " + partitionIndexes.get(0)).doesNotContain("Seq Scan");
    }
  }

  @Test
  void aVersionOneDatabaseWithKeyedSpansUpgradesAndCountsTheirSpend() throws SQLException {
    store.append(List.of(KeyStoreContractTest.keyedSpan("s1", 100, "key_a", 0.25),
        KeyStoreContractTest.keyedSpan("s2", 200, "key_a", 0.5)));
    store.close();
    try (Connection c = connect(); Statement st = c.createStatement()) { // back to what issue 21 created
      st.execute("DROP INDEX spans_key");
      st.execute("DROP TABLE virtual_keys");
      st.execute("DELETE FROM tracegate_schema WHERE version = 2");
    }

    store = PostgresSpanStore.open(config, false);
    store.keys().create(bare("key_a", 1_000));

    assertThat(store.keys().keys()).extracting(StoredKey::id).containsExactly("key_a");
    assertThat(store.keys().spendByKey()).containsOnly(entry("key_a", 0.75));
    try (Connection c = connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM tracegate_schema")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(config.url(), PostgresSpanStore.connectionProperties(config));
  }
}

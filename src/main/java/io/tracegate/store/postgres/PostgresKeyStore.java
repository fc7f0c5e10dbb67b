package io.tracegate.store.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.store.KeyStore;
import io.tracegate.store.StoredKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Virtual keys in the {@code virtual_keys} table of a PostgreSQL span store (schema v2), shared by every gateway on
 * the database; spend from its spans through the {@code spans_key} expression index ({@link PostgresSchema#KEY_ID}).
 */
public final class PostgresKeyStore implements KeyStore {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COLUMNS = "key_id, name, secret_sha256, models, rpm, tpm, budget_usd,"
      + " expires_unix_nano, metadata, created_unix_nano, revoked_unix_nano";
  /** Each key's summed span cost, by the expression the {@code spans_key} index is built on. */
  static final String SPEND_SQL = "SELECT " + PostgresSchema.KEY_ID + ", SUM(cost_usd) FROM spans WHERE "
      + PostgresSchema.KEY_ID + " IS NOT NULL GROUP BY 1";
  private final PostgresSpanStore store;

  PostgresKeyStore(PostgresSpanStore store) {
    this.store = store;
  }

  @Override
  public void create(StoredKey k) {
    store.writing("create key " + k.id(), c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO virtual_keys (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, k.id());
        ps.setString(2, k.name());
        ps.setString(3, k.secretSha256());
        ps.setString(4, k.models() == null ? null : JSON.writeValueAsString(k.models()));
        if (k.rpm() == null) {
          ps.setNull(5, Types.INTEGER);
        } else {
          ps.setInt(5, k.rpm());
        }
        setNullable(ps, 6, k.tpm());
        if (k.budgetUsd() == null) {
          ps.setNull(7, Types.DOUBLE);
        } else {
          ps.setDouble(7, k.budgetUsd());
        }
        setNullable(ps, 8, k.expiresUnixNano());
        ps.setString(9, k.metadata() == null || k.metadata().isNull() ? null : JSON.writeValueAsString(k.metadata()));
        ps.setLong(10, k.createdUnixNano());
        setNullable(ps, 11, k.revokedUnixNano());
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<StoredKey> keys() {
    return store.reading("list keys", c -> {
      List<StoredKey> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
          + " FROM virtual_keys ORDER BY created_unix_nano, key_id");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String models = rs.getString(4);
          String metadata = rs.getString(9);
          out.add(new StoredKey(rs.getString(1), rs.getString(2), rs.getString(3),
              models == null ? null : List.of(JSON.readValue(models, String[].class)),
              rs.getObject(5) == null ? null : rs.getInt(5), nullableLong(rs, 6),
              rs.getObject(7) == null ? null : rs.getDouble(7), nullableLong(rs, 8),
              metadata == null ? null : JSON.readTree(metadata), rs.getLong(10), nullableLong(rs, 11)));
        }
      }
      return out;
    });
  }

  @Override
  public boolean revoke(String keyId, long nowUnixNano) {
    return store.writing("revoke key " + keyId, c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE virtual_keys SET revoked_unix_nano = ? WHERE key_id = ? AND revoked_unix_nano IS NULL")) {
        ps.setLong(1, nowUnixNano);
        ps.setString(2, keyId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Map<String, Double> spendByKey() {
    return store.reading("sum spend by key", c -> {
      Map<String, Double> out = new HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(SPEND_SQL);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getDouble(2));
        }
      }
      return out;
    });
  }

  private static void setNullable(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static Long nullableLong(ResultSet rs, int i) throws SQLException {
    long v = rs.getLong(i);
    return rs.wasNull() ? null : v;
  }
}

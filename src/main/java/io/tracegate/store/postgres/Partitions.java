package io.tracegate.store.postgres;

import io.tracegate.trace.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daily partitions of {@code spans} (PostgreSQL native range partitioning on {@code start_time_unix_nano}):
 * {@code spans_pYYYYMMDD} holds the spans that started on that UTC day. The writer creates a day's partition
 * before the first span of that day is inserted (remembering the days it made sure of), under an advisory
 * lock so gateways sharing the database do not race; retention drops the partitions that ended before the
 * cutoff, a catalogue operation whatever their size.
 */
final class Partitions {

  static final long DAY_NANOS = 86_400_000_000_000L;
  private static final long PARTITION_LOCK = 0x7472_6163_6570_6172L; // "tracepar"
  private static final DateTimeFormatter NAME_DATE = DateTimeFormatter.BASIC_ISO_DATE;
  private static final String PREFIX = "spans_p";

  private final Set<Long> ensured = ConcurrentHashMap.newKeySet();

  /** Creates the partitions the spans' start days lack, in a transaction of its own on {@code c} (autocommit). */
  void ensure(Connection c, List<Span> spans) throws SQLException {
    TreeSet<Long> missing = new TreeSet<>();
    for (Span s : spans) {
      long day = Math.floorDiv(s.startTimeUnixNano(), DAY_NANOS);
      if (!ensured.contains(day)) {
        missing.add(day);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + PARTITION_LOCK + ")");
      for (long day : missing) {
        st.execute("CREATE TABLE IF NOT EXISTS " + name(day) + " PARTITION OF spans FOR VALUES FROM ("
            + day * DAY_NANOS + ") TO (" + (day + 1) * DAY_NANOS + ")");
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
    ensured.addAll(missing);
  }

  /** The partitions wholly before {@code cutoffUnixNano}, oldest first, as (name, first day). */
  static List<Partition> before(Connection c, long cutoffUnixNano) throws SQLException {
    List<Partition> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits"
        + " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
        + " WHERE pg_inherits.inhparent = 'spans'::regclass ORDER BY child.relname")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String name = rs.getString(1);
          Long day = day(name);
          if (day != null && (day + 1) * DAY_NANOS <= cutoffUnixNano) {
            out.add(new Partition(name, day));
          }
        }
      }
    }
    return out;
  }

  /** Forgets a dropped day, so a late span of that day creates its partition again. */
  void dropped(Partition p) {
    ensured.remove(p.day());
  }

  record Partition(String name, long day) {
    long endUnixNano() {
      return (day + 1) * DAY_NANOS;
    }
  }

  static String name(long day) {
    return PREFIX + LocalDate.ofEpochDay(day).format(NAME_DATE);
  }

  private static Long day(String name) {
    if (!name.startsWith(PREFIX) || name.length() != PREFIX.length() + 8) {
      return null;
    }
    try {
      return LocalDate.parse(name.substring(PREFIX.length()), NAME_DATE).toEpochDay();
    } catch (RuntimeException notOurs) {
      return null;
    }
  }
}

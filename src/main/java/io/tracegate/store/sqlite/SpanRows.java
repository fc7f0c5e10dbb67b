package io.tracegate.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a {@link Span} to a row of {@link SpanSchema#COLUMNS} and back, losslessly: nullable numbers stay
 * null (not 0), a null usage stays null while an all-null usage stays a {@link Usage} ({@code has_usage}),
 * a JSON {@code null} payload stays a NullNode while a missing one stays Java null.
 *
 * <p>Attribute values come back as the JSON types Jackson reads: String, Boolean, Long (every integer),
 * Double, List, Map. Producers should put those types in to get equal maps back.
 */
final class SpanRows {

  /** Large Claude Code prompts exceed Jackson's default 20M-char string limit; spans must still load. */
  private static final int MAX_JSON_STRING = 512 * 1024 * 1024;

  private final ObjectMapper mapper;
  private final ObjectReader attributesReader;

  SpanRows() {
    mapper = new ObjectMapper();
    mapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(MAX_JSON_STRING).build());
    attributesReader = mapper.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {})
        .with(DeserializationFeature.USE_LONG_FOR_INTS);
  }

  void bind(PreparedStatement ps, Span s) throws SQLException, JsonProcessingException {
    int i = 1;
    ps.setString(i++, s.spanId());
    ps.setString(i++, s.traceId());
    ps.setString(i++, s.parentId());
    ps.setString(i++, s.rolloutId());
    ps.setString(i++, s.attemptId());
    setLong(ps, i++, s.sequenceId());
    ps.setString(i++, s.kind());
    ps.setString(i++, s.name());
    ps.setLong(i++, s.startTimeUnixNano());
    ps.setLong(i++, s.endTimeUnixNano());
    setLong(ps, i++, s.firstTokenTimeUnixNano());
    ps.setString(i++, s.status());
    ps.setString(i++, s.statusMessage());
    ps.setString(i++, s.frontendProtocol());
    ps.setString(i++, s.frontendModel());
    ps.setString(i++, s.provider());
    ps.setString(i++, s.backend());
    ps.setString(i++, s.backendModel());
    Usage u = s.usage() == null ? Usage.EMPTY : s.usage();
    ps.setInt(i++, s.usage() == null ? 0 : 1);
    setLong(ps, i++, u.inputTokens());
    setLong(ps, i++, u.outputTokens());
    setLong(ps, i++, u.cacheReadInputTokens());
    setLong(ps, i++, u.cacheCreationInputTokens());
    setLong(ps, i++, u.cacheCreation5mInputTokens());
    setLong(ps, i++, u.cacheCreation1hInputTokens());
    setLong(ps, i++, u.reasoningTokens());
    if (s.costUsd() == null) {
      ps.setNull(i++, Types.REAL);
    } else {
      ps.setDouble(i++, s.costUsd());
    }
    ps.setString(i++, json(s.request()));
    ps.setString(i++, json(s.response()));
    ps.setString(i++, json(s.upstreamRequest()));
    ps.setBytes(i++, PackedArrays.encodeInts(s.promptTokenIds()));
    ps.setBytes(i++, PackedArrays.encodeInts(s.responseTokenIds()));
    ps.setBytes(i++, PackedArrays.encodeDoubles(s.responseLogprobs()));
    ps.setString(i, mapper.writeValueAsString(s.attributes()));
  }

  /** Reads by position in {@link SpanSchema#COLUMNS} order (the round-trip tests pin every position). */
  Span read(ResultSet rs) throws SQLException, JsonProcessingException {
    boolean hasUsage = rs.getInt(19) != 0;
    Usage usage = hasUsage
        ? new Usage(getLong(rs, 20), getLong(rs, 21), getLong(rs, 22), getLong(rs, 23), getLong(rs, 24),
            getLong(rs, 25), getLong(rs, 26))
        : null;
    double cost = rs.getDouble(27);
    Double costUsd = rs.wasNull() ? null : cost;
    return new Span(
        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        getLong(rs, 6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10), getLong(rs, 11),
        rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16),
        rs.getString(17), rs.getString(18), usage, costUsd,
        tree(rs.getString(28)), tree(rs.getString(29)), tree(rs.getString(30)),
        PackedArrays.decodeInts(blob(rs, 31)), PackedArrays.decodeInts(blob(rs, 32)),
        PackedArrays.decodeDoubles(blob(rs, 33)), attributes(rs.getString(34)));
  }

  private String json(JsonNode node) throws JsonProcessingException {
    return node == null ? null : mapper.writeValueAsString(node);
  }

  private JsonNode tree(String text) throws JsonProcessingException {
    return text == null ? null : mapper.readTree(text);
  }

  private Map<String, Object> attributes(String text) throws JsonProcessingException {
    return text == null ? Map.of() : attributesReader.readValue(text);
  }

  /** A zero-length BLOB must read back as an empty array, not as SQL NULL. */
  private static byte[] blob(ResultSet rs, int column) throws SQLException {
    byte[] bytes = rs.getBytes(column);
    if (bytes == null && !rs.wasNull()) {
      return new byte[0];
    }
    return bytes;
  }

  private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setLong(index, value);
    }
  }

  private static Long getLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}

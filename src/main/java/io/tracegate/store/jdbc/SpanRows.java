package io.tracegate.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tracegate.store.SpanSize;
import io.tracegate.trace.RawJson;
import io.tracegate.trace.Span;
import io.tracegate.trace.UpstreamAttempt;
import io.tracegate.trace.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a {@link Span} to a row of {@link SpanColumns#COLUMNS} and back, losslessly: nullable numbers stay
 * null (not 0), a null usage stays null while an all-null usage stays a {@link Usage} ({@code has_usage}),
 * a JSON {@code null} payload stays a NullNode while a missing one stays Java null.
 *
 * <p>Attribute values come back as the JSON types Jackson reads: String, Boolean, Long (every integer),
 * Double, List, Map. Producers should put those types in to get equal maps back.
 */
public final class SpanRows {

  /** Large Claude Code prompts exceed Jackson's default 20M-char string limit; spans must still load. */
  private static final int MAX_JSON_STRING = 512 * 1024 * 1024;

  private final ObjectMapper mapper;
  private final ObjectReader attributesReader;
  private final ObjectReader attemptsReader;

  public SpanRows() {
    mapper = new ObjectMapper();
    mapper.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxStringLength(MAX_JSON_STRING).build());
    attributesReader = mapper.readerFor(new TypeReference<LinkedHashMap<String, Object>>() {})
        .with(DeserializationFeature.USE_LONG_FOR_INTS);
    attemptsReader = mapper.readerFor(new TypeReference<List<UpstreamAttempt>>() {});
  }

  /**
   * Binds every column. Token ids are written as varints; the prompt column gets {@code prompt.ids()}, which
   * is the whole prompt or, when {@code prompt.baseSpanId()} is set, only the ids after the shared prefix.
   */
  void bind(PreparedStatement ps, Span s, PromptLayout prompt, PartWriter parts)
      throws SQLException, JsonProcessingException {
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
    PartWriter.Stored request = parts.store(utf8Json(s.request()));
    PartWriter.Stored upstreamRequest = parts.store(utf8Json(s.upstreamRequest()));
    ps.setBytes(i++, request.text()); // the UTF8_TEXT_COLUMNS: cast to TEXT by the INSERT
    ps.setBytes(i++, utf8Json(s.response()));
    ps.setBytes(i++, upstreamRequest.text());
    ps.setBytes(i++, PackedArrays.encodeVarints(prompt.ids()));
    ps.setBytes(i++, PackedArrays.encodeVarints(s.responseTokenIds()));
    boolean float32 = PackedArrays.fitsFloat32(s.responseLogprobs());
    ps.setBytes(i++, float32
        ? PackedArrays.encodeFloats(s.responseLogprobs())
        : PackedArrays.encodeDoubles(s.responseLogprobs()));
    ps.setBytes(i++, AttributesJson.write(mapper, s.attributes())); // a UTF8_TEXT_COLUMN too
    ps.setInt(i++, SpanColumns.IDS_VARINT | (float32 ? SpanColumns.LOGPROBS_FLOAT32 : 0));
    ps.setString(i++, prompt.baseSpanId());
    ps.setInt(i++, prompt.prefixLength());
    ps.setBytes(i++, request.refs());
    ps.setBytes(i++, upstreamRequest.refs());
    ps.setString(i++, s.modelVersion());
    ps.setString(i, s.attempts() == null ? null : mapper.writeValueAsString(s.attempts()));
  }

  /**
   * Reads by position in {@link SpanColumns#COLUMNS} order (the round-trip tests pin every position). When
   * the row's prompt has a base, the span's {@code promptTokenIds} are only the stored suffix: complete it
   * with {@link TokenResolver#complete}.
   */
  public StoredSpan read(ResultSet rs, BodyParts.PartSource parts) throws SQLException, JsonProcessingException {
    int format = rs.getInt(35);
    int[] prompt = ids(blob(rs, 31), format);
    int[] response = ids(blob(rs, 32), format);
    byte[] logprobBlob = blob(rs, 33);
    double[] logprobs = (format & SpanColumns.LOGPROBS_FLOAT32) != 0
        ? PackedArrays.decodeFloats(logprobBlob)
        : PackedArrays.decodeDoubles(logprobBlob);
    String base = rs.getString(36);
    int prefix = rs.getInt(37);
    String spanId = rs.getString(1);
    TokenLink link = prompt == null ? null : new TokenLink(spanId, base, prefix, prompt, response);
    Bodies bodies = new Bodies(body(rs, 28, 38, parts), rs.getBytes(29), body(rs, 30, 39, parts), rs.getString(34),
        rs.getString(41));
    // the page budget's measure (SpanSize), from the stored bytes rather than the trees; a prompt stored as a
    // suffix of another span's counts only its suffix here
    long size = SpanSize.FIXED + bodies.length() + SpanSize.tokens(prompt, response, logprobs);
    return new StoredSpan(span(rs, prompt, response, logprobs, bodies), link, size);
  }

  /** The text columns of a row, request bodies with their parts put back. */
  private record Bodies(byte[] request, byte[] response, byte[] upstreamRequest, String attributes,
      String attempts) {
    long length() {
      return (request == null ? 0 : request.length) + (response == null ? 0 : response.length)
          + (upstreamRequest == null ? 0 : upstreamRequest.length) + (attributes == null ? 0 : attributes.length())
          + (attempts == null ? 0 : attempts.length());
    }
  }

  /** The token-id part of a row, as the chain query of {@link TokenResolver} selects it. */
  static TokenLink link(ResultSet rs) throws SQLException {
    int format = rs.getInt(6);
    return new TokenLink(rs.getString(1), rs.getString(2), rs.getInt(3), ids(blob(rs, 4), format),
        ids(blob(rs, 5), format));
  }

  public static int[] ids(byte[] blob, int format) {
    return (format & SpanColumns.IDS_VARINT) != 0 ? PackedArrays.decodeVarints(blob) : PackedArrays.decodeInts(blob);
  }

  private Span span(ResultSet rs, int[] prompt, int[] response, double[] logprobs, Bodies bodies)
      throws SQLException, JsonProcessingException {
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
        tree(bodies.request), tree(bodies.response), tree(bodies.upstreamRequest),
        prompt, response, logprobs, rs.getString(40), attempts(bodies.attempts), attributes(bodies.attributes));
  }

  /** A copy of {@code s} with other prompt token ids. */
  static Span withPrompt(Span s, int[] promptTokenIds) {
    return new Span(s.spanId(), s.traceId(), s.parentId(), s.rolloutId(), s.attemptId(), s.sequenceId(), s.kind(),
        s.name(), s.startTimeUnixNano(), s.endTimeUnixNano(), s.firstTokenTimeUnixNano(), s.status(),
        s.statusMessage(), s.frontendProtocol(), s.frontendModel(), s.provider(), s.backend(), s.backendModel(),
        s.usage(), s.costUsd(), s.request(), s.response(), s.upstreamRequest(), promptTokenIds,
        s.responseTokenIds(), s.responseLogprobs(), s.modelVersion(), s.attempts(), s.attributes());
  }

  /**
   * A span as read from its row, with the token link the resolver needs (null when it has no prompt ids) and
   * its approximate size ({@link SpanSize}).
   */
  public record StoredSpan(Span span, TokenLink link, long size) {}

  private byte[] utf8Json(JsonNode node) throws JsonProcessingException {
    if (node == null) {
      return null;
    }
    byte[] raw = RawJson.rawUtf8(node);
    return raw != null ? raw : mapper.writeValueAsBytes(node);
  }

  /** A request body column as it arrived: its stored text with the parts it names put back. */
  private static byte[] body(ResultSet rs, int textColumn, int refsColumn, BodyParts.PartSource parts)
      throws SQLException {
    byte[] text = rs.getBytes(textColumn);
    if (text == null) {
      return null;
    }
    byte[] refs = rs.getBytes(refsColumn);
    return refs == null ? text : BodyParts.join(text, refs, parts);
  }

  /** A stored body as a tree; text that is not JSON (a raw body that slipped through) comes back as a string. */
  private JsonNode tree(byte[] utf8) {
    if (utf8 == null) {
      return null;
    }
    try {
      return mapper.readTree(utf8);
    } catch (IOException notJson) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(new String(utf8, StandardCharsets.UTF_8));
    }
  }

  private List<UpstreamAttempt> attempts(String text) throws JsonProcessingException {
    return text == null ? null : attemptsReader.readValue(text);
  }

  private Map<String, Object> attributes(String text) throws JsonProcessingException {
    return text == null ? Map.of() : attributesReader.readValue(text);
  }

  /** A zero-length BLOB must read back as an empty array, not as SQL NULL. */
  static byte[] blob(ResultSet rs, int column) throws SQLException {
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

package io.tracegate.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracegate.trace.Span;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What a report groups calls by: {@code rollout}, {@code attempt} ({@code rollout/attempt}), {@code model} (the
 * model name the client asked for), {@code backend}, {@code day} (UTC date of the call's start) or
 * {@code tag:KEY} (the value of KEY in the rollout's metadata). A call without the value is grouped under
 * {@value #NONE}.
 */
public record GroupBy(Kind kind, String tagKey) {
  public static final String NONE = "-";
  private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

  /** The dimensions a report can group by. */
  public enum Kind { ROLLOUT, ATTEMPT, MODEL, BACKEND, DAY, TAG }

  public static final GroupBy ROLLOUT = new GroupBy(Kind.ROLLOUT, null);

  public GroupBy {
    if ((kind == Kind.TAG) != (tagKey != null)) {
      throw new IllegalArgumentException("a tag:KEY grouping needs a key, and only it");
    }
  }

  /**
   * Parses {@code rollout | attempt | model | backend | day | tag:KEY}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static GroupBy parse(String text) {
    String t = text.trim();
    if (t.regionMatches(true, 0, "tag:", 0, 4)) {
      String key = t.substring(4).trim();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("'tag:' needs a metadata key, e.g. tag:strategy");
      }
      return new GroupBy(Kind.TAG, key);
    }
    for (Kind k : Kind.values()) {
      if (k != Kind.TAG && k.name().equalsIgnoreCase(t)) {
        return new GroupBy(k, null);
      }
    }
    throw new IllegalArgumentException("group by must be rollout, attempt, model, backend, day or tag:KEY, got '"
        + text + "'");
  }

  /** The text {@link #parse} reads back. */
  public String id() {
    return kind == Kind.TAG ? "tag:" + tagKey : kind.name().toLowerCase(Locale.ROOT);
  }

  /** The group of a call; {@code metadata} is its rollout's metadata (null when none). */
  String keyOf(Span call, JsonNode metadata) {
    String key = switch (kind) {
      case ROLLOUT -> call.rolloutId();
      case ATTEMPT -> call.rolloutId() == null ? null
          : call.rolloutId() + "/" + (call.attemptId() == null ? NONE : call.attemptId());
      case MODEL -> call.frontendModel();
      case BACKEND -> call.backend();
      case DAY -> DAY.format(Instant.ofEpochSecond(0, call.startTimeUnixNano()));
      case TAG -> tagValue(metadata, tagKey);
    };
    return key == null ? NONE : key;
  }

  /** The metadata value of {@code key} as text, or null when absent or null. */
  static String tagValue(JsonNode metadata, String key) {
    if (metadata == null || !metadata.has(key) || metadata.get(key).isNull()) {
      return null;
    }
    JsonNode v = metadata.get(key);
    return v.isValueNode() ? v.asText() : v.toString();
  }
}

package io.tracegate.server;

import io.tracegate.store.SpanStore;
import io.tracegate.store.ThrottledLog;
import io.tracegate.trace.EpochClock;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tags from the {@code x-tracegate-tags} request header ({@code strategy=sliding-4,question=q7}), and the group
 * from {@code x-tracegate-group} (as the tag {@code group_id}), merged into the
 * rollout's metadata the first time a rollout is seen with them, so an unmodified agent driven by a shell script
 * can be tagged (docs/http-api.md). The store is written on a worker thread; a store failure is logged (throttled)
 * and never fails the request. The (rollout, header) pairs already merged are remembered in a bounded LRU set so
 * a long rollout does not write the store on every call.
 */
final class RolloutTags {
  static final String HEADER = "x-tracegate-tags";
  /** Names the rollout's group ({@code group_id} metadata key) for GRPO-style training. */
  static final String GROUP_HEADER = "x-tracegate-group";
  static final int MAX_TAGS = 32;
  static final int MAX_KEY_CHARS = 128;
  static final int MAX_VALUE_CHARS = 1024;
  private static final int REMEMBERED = 10_000;
  private static final System.Logger LOG = System.getLogger(RolloutTags.class.getName());

  private final SpanStore store;
  private final ThrottledLog failures = new ThrottledLog(LOG, TimeUnit.SECONDS.toNanos(10), System::nanoTime);
  private final Set<String> merged = Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  });

  RolloutTags(SpanStore store) {
    this.store = store;
  }

  /**
   * Parses the header value: comma-separated {@code key=value} pairs, blanks around them ignored, the first
   * value of a repeated key kept.
   *
   * @throws GatewayException (400) naming the header when a pair is not {@code key=value} or limits are exceeded
   */
  static Map<String, String> parse(String header) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : header.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? "" : pair.substring(0, eq).trim();
      if (key.isEmpty()) {
        throw invalid("expected key=value pairs separated by commas, got '" + pair.trim() + "'");
      }
      String value = pair.substring(eq + 1).trim();
      if (key.length() > MAX_KEY_CHARS || value.length() > MAX_VALUE_CHARS) {
        throw invalid("a key may have at most " + MAX_KEY_CHARS + " characters and a value " + MAX_VALUE_CHARS);
      }
      tags.putIfAbsent(key, value);
      if (tags.size() > MAX_TAGS) {
        throw invalid("at most " + MAX_TAGS + " tags");
      }
    }
    return tags;
  }

  /**
   * The {@code x-tracegate-group} header as the tag {@code group_id} (the value trimmed).
   *
   * @throws GatewayException (400) naming the header when the value is empty or too long
   */
  static Map<String, String> group(String header) {
    String value = header.trim();
    if (value.isEmpty() || value.length() > MAX_VALUE_CHARS) {
      throw new GatewayException(GatewayException.Kind.INVALID_REQUEST, "header " + GROUP_HEADER
          + ": a group id of 1 to " + MAX_VALUE_CHARS + " characters");
    }
    return Map.of("group_id", value);
  }

  /**
   * Merges the request's tags into the rollout's metadata unless this (rollout, header) was merged already.
   * Returns at once; the store write runs on a worker thread.
   */
  void apply(Vertx vertx, String rolloutId, String header, Map<String, String> tags) {
    if (rolloutId == null || tags.isEmpty()) {
      return;
    }
    String key = rolloutId + '\n' + header;
    synchronized (merged) {
      if (!merged.add(key)) {
        return;
      }
    }
    long now = EpochClock.nowUnixNano();
    vertx.executeBlocking(() -> store.mergeRolloutTags(rolloutId, tags, now), false).onFailure(e -> {
      synchronized (merged) {
        merged.remove(key); // try again with the rollout's next call
      }
      failures.warn("could not merge x-tracegate-tags into rollout " + rolloutId, e);
    });
  }

  private static GatewayException invalid(String why) {
    return new GatewayException(GatewayException.Kind.INVALID_REQUEST, "header " + HEADER + ": " + why);
  }
}

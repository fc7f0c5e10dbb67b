package io.tracegate.upstream.routing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracegate.protocol.json.JsonLimits;
import io.tracegate.protocol.openai.RequestPeek;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.Function;

/**
 * The key that keeps a request of a {@code sticky} model on one backend: the rollout id, else the
 * {@code x-session-id} header, else Claude Code's {@code x-claude-code-session-id} header, else the body's
 * {@code metadata.user_id} (read only for sticky models, and only that member). Keys are hashed with SHA-256
 * (as Agent Lightning's {@code sha256(rollout_id)}), so the placement does not depend on the JVM.
 */
public final class StickyKeys {
  public static final String SESSION_HEADER = "x-session-id";
  /** The session id header Claude Code 2.1.x sends on every request (its binary spells it X-Claude-Code-Session-Id). */
  public static final String CLAUDE_CODE_SESSION_HEADER = "x-claude-code-session-id";
  private static final JsonFactory JSON = JsonLimits.factory();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(StickyKeys::sha256);

  private StickyKeys() {}

  /** The request's sticky key, or null when it has none. */
  public static String of(String rolloutId, Function<String, String> header, byte[] body,
      List<RequestPeek.Member> members) {
    if (rolloutId != null) {
      return "rollout:" + rolloutId;
    }
    String session = nonEmpty(header.apply(SESSION_HEADER));
    if (session == null) {
      session = nonEmpty(header.apply(CLAUDE_CODE_SESSION_HEADER));
    }
    if (session != null) {
      return "session:" + session;
    }
    String user = metadataUserId(body, members);
    return user == null ? null : "user:" + user;
  }

  /** A 64-bit hash of a key: the first 8 bytes of its SHA-256. */
  public static long hash(String key) {
    byte[] d = SHA256.get().digest(key.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = h << 8 | (d[i] & 0xff);
    }
    return h;
  }

  /** {@code metadata.user_id} when it is a string, read from the {@code metadata} member's bytes only. */
  static String metadataUserId(byte[] body, List<RequestPeek.Member> members) {
    if (members == null) {
      return null;
    }
    RequestPeek.Member metadata = null;
    for (RequestPeek.Member m : members) {
      if (m.name().equals("metadata")) {
        metadata = m; // the last one counts, as for every top-level member
      }
    }
    if (metadata == null) {
      return null;
    }
    try (JsonParser p = JSON.createParser(body, metadata.valueStart(), metadata.valueEnd() - metadata.valueStart())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String user = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals("user_id") && value == JsonToken.VALUE_STRING) {
          user = p.getText();
        } else {
          p.skipChildren();
        }
      }
      return nonEmpty(user);
    } catch (IOException e) {
      return null; // the peek already accepted the body: cannot happen for well-formed input
    }
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}

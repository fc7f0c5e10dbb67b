package io.tracegate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracegate.auth.KeySecrets;
import io.tracegate.store.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON of virtual keys, shared by {@code /api/keys} and {@code tracegate keys} (which also works on a store
 * directly): the create request, the key as shown (never the secret's hash), and the one answer that shows the
 * secret. See docs/http-api.md, "Keys".
 */
public final class KeyRequests {
  private static final Pattern RELATIVE = Pattern.compile("(\\d+)([smhd])");

  private KeyRequests() {}

  /** A new key and the secret it was made from: the only time the secret exists outside the client. */
  public record Issued(StoredKey key, String secret) {}

  /**
   * Builds a key from a create request {@code {name, models?, rpm?, tpm?, budget_usd?, expires?, metadata?}}.
   *
   * @throws GatewayException (400) naming the field that is wrong
   */
  public static Issued issue(JsonNode body, long nowUnixNano) {
    JsonNode name = body.get("name");
    if (name == null || !name.isTextual() || name.asText().isBlank()) {
      throw invalid("'name' is required: a non-empty string naming who uses the key (it is recorded on spans)");
    }
    List<String> models = null;
    JsonNode m = body.get("models");
    if (m != null && !m.isNull()) {
      if (!m.isArray() || m.isEmpty()) {
        throw invalid("'models' must be a non-empty array of model names or globs such as \"claude-*\"");
      }
      models = new ArrayList<>();
      for (JsonNode item : m) {
        if (!item.isTextual() || item.asText().isBlank()) {
          throw invalid("'models' must hold non-empty strings, got " + item);
        }
        models.add(item.asText());
      }
    }
    Long rpm = positive(body, "rpm");
    if (rpm != null && rpm > Integer.MAX_VALUE) {
      throw invalid("'rpm' is too large");
    }
    Long tpm = positive(body, "tpm");
    Double budget = null;
    JsonNode b = body.get("budget_usd");
    if (b != null && !b.isNull()) {
      if (!b.isNumber() || !(b.asDouble() >= 0) || Double.isInfinite(b.asDouble())) {
        throw invalid("'budget_usd' must be a finite number >= 0, got " + b);
      }
      budget = b.asDouble();
    }
    JsonNode e = body.get("expires");
    Long expires = e == null || e.isNull() ? null : expires(e, nowUnixNano);
    JsonNode metadata = body.get("metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
      throw invalid("'metadata' must be a JSON object");
    }
    String secret = KeySecrets.newSecret();
    StoredKey key = new StoredKey(KeySecrets.newId(), name.asText().strip(), KeySecrets.sha256(secret), models,
        rpm == null ? null : rpm.intValue(), tpm, budget, expires,
        metadata == null || metadata.isNull() ? null : metadata, nowUnixNano, null);
    return new Issued(key, secret);
  }

  /** An ISO-8601 instant ({@code 2027-01-01T00:00:00Z}) or a time from now ({@code 30d}, {@code 12h}, {@code 90m}). */
  static long expires(JsonNode e, long nowUnixNano) {
    String text = e.isTextual() ? e.asText().strip().toLowerCase(Locale.ROOT) : "";
    Matcher m = RELATIVE.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return nowUnixNano + d.toNanos();
    }
    try {
      Instant at = Instant.parse(e.asText().strip());
      return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    } catch (DateTimeParseException | ArithmeticException bad) {
      throw invalid("'expires' must be an ISO-8601 instant like 2027-01-01T00:00:00Z or a time from now like 30d,"
          + " 12h, 90m, got " + e);
    }
  }

  private static Long positive(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 1) {
      throw invalid("'" + field + "' must be a whole number >= 1, got " + n);
    }
    return n.asLong();
  }

  private static GatewayException invalid(String message) {
    return new GatewayException(GatewayException.Kind.INVALID_REQUEST, message);
  }

  /** The create answer: the key as {@link #json} shows it plus {@code key}, its secret, shown this once. */
  public static ObjectNode created(Issued issued) {
    ObjectNode out = json(issued.key(), 0d);
    out.put("key", issued.secret());
    return out;
  }

  /** A key as the API shows it: never its secret nor the secret's hash. */
  public static ObjectNode json(StoredKey k, Double spentUsd) {
    ObjectNode o = ApiJson.MAPPER.createObjectNode();
    o.put("id", k.id());
    o.put("name", k.name());
    if (k.models() == null) {
      o.putNull("models");
    } else {
      ArrayNode a = o.putArray("models");
      k.models().forEach(a::add);
    }
    putNullable(o, "rpm", k.rpm() == null ? null : k.rpm().longValue());
    putNullable(o, "tpm", k.tpm());
    if (k.budgetUsd() == null) {
      o.putNull("budget_usd");
    } else {
      o.put("budget_usd", k.budgetUsd());
    }
    if (spentUsd == null) {
      o.putNull("spent_usd");
    } else {
      o.put("spent_usd", spentUsd);
    }
    o.put("expires", k.expiresUnixNano() == null ? null : instant(k.expiresUnixNano()));
    o.set("metadata", k.metadata());
    o.put("created", instant(k.createdUnixNano()));
    o.put("revoked", k.revokedUnixNano() == null ? null : instant(k.revokedUnixNano()));
    return o;
  }

  private static void putNullable(ObjectNode o, String field, Long v) {
    if (v == null) {
      o.putNull(field);
    } else {
      o.put(field, v);
    }
  }

  private static String instant(long unixNano) {
    return Instant.ofEpochSecond(unixNano / 1_000_000_000L, unixNano % 1_000_000_000L).toString();
  }
}

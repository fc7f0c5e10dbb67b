package io.tracegate.upstream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from an upstream's error body before anything keeps or forwards it: the exact values
 * the gateway sent (its own key, or the client's credential it forwarded), and anything shaped like a
 * provider key ({@code sk-...}, as OpenAI, Anthropic and most OpenAI-compatible servers issue them) or a
 * bearer token. Each becomes {@value #MARK}. Only error bodies pass through here: they are small and a
 * backend that rejects a key likes to quote it ("Incorrect API key provided: sk-...").
 */
public final class SecretRedactor {
  public static final String MARK = "[REDACTED]";
  /** Shorter values are not treated as secrets (they would match ordinary text). */
  static final int MIN_SECRET_CHARS = 8;
  private static final Pattern KEY_SHAPED = Pattern.compile(
      "\\bsk-[A-Za-z0-9_\\-*.]{8,}|(?i)(\\bbearer\\s+)[A-Za-z0-9_\\-.~+/=]{8,}");

  private final List<String> secrets;

  SecretRedactor(List<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s.length() >= MIN_SECRET_CHARS).distinct().toList();
  }

  /** {@code body} with every credential replaced, or {@code body} itself when it held none. */
  public byte[] redact(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    String out = redact(text);
    return out.equals(text) ? body : out.getBytes(StandardCharsets.UTF_8);
  }

  public String redact(String text) {
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MARK);
    }
    Matcher m = KEY_SHAPED.matcher(out);
    if (!m.find()) {
      return out;
    }
    m.reset();
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) == null ? MARK : r.group(1) + MARK));
  }
}

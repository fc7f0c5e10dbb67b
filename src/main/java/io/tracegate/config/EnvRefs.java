package io.tracegate.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment references: {@code ${NAME}} and {@code ${NAME:-default}}. As in a POSIX shell, the default is
 * used when the variable is unset or empty. A {@code $} not followed by <code>{</code> is literal.
 */
final class EnvRefs {
  private static final String NAME = "[A-Za-z_][A-Za-z0-9_]*";
  private static final Pattern REF = Pattern.compile("\\$\\{(" + NAME + ")(?::-([^}]*))?}");
  private static final Pattern WHOLE_REF = Pattern.compile("\\s*" + REF.pattern() + "\\s*");

  private final Map<String, String> env;

  EnvRefs(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The variable's value, or its default, or null when unset/empty without a default. */
  private String lookup(String variable, String fallback) {
    String value = env.get(variable);
    return value == null || value.isEmpty() ? fallback : value;
  }

  /** Expands every reference in a string; an unset variable without default is an error at {@code n}. */
  String expand(YamlNode n) {
    String text = n.string();
    Matcher m = REF.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = lookup(m.group(1), m.group(2));
      if (value == null) {
        throw n.error(
            "environment variable " + m.group(1) + " is not set and has no default (write ${"
                + m.group(1) + ":-default} to give one)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String result = out.toString();
    if (result.contains("${")) {
      throw n.error("malformed environment reference in " + YamlNode.quote(text)
          + "; expected ${NAME} or ${NAME:-default}");
    }
    return result;
  }

  /**
   * A secret: the whole value must be one {@code ${NAME}} or {@code ${NAME:-default}}. Never fails because
   * the variable is unset; the result is then {@link SecretRef#isMissing() missing}. Absent: {@link
   * SecretRef#NONE}.
   */
  SecretRef secret(YamlNode n) {
    if (n.isAbsent()) {
      return SecretRef.NONE;
    }
    if (!n.isTextual()) {
      throw n.error("expected an environment reference like ${OPENAI_API_KEY} but was " + n.describe());
    }
    Matcher m = WHOLE_REF.matcher(n.string());
    if (!m.matches() && n.string().contains("${")) {
      throw n.error("malformed environment reference; expected ${NAME} or ${NAME:-default} as the whole"
          + " value");
    }
    if (!m.matches()) {
      // Never echo the value: it may be a real key pasted into the file.
      throw n.error("expected an environment reference like ${OPENAI_API_KEY} or ${VLLM_API_KEY:-}"
          + " but was a literal value; secrets are read only from environment variables");
    }
    return new SecretRef(m.group(1), lookup(m.group(1), m.group(2)));
  }
}

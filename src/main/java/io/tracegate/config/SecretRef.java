package io.tracegate.config;

/**
 * A secret named by an environment variable ({@code ${NAME}} or {@code ${NAME:-default}}), resolved at load.
 * {@code value} is null when the variable is unset and has no default: requests that need it fail with an
 * error naming {@code variable}. toString never prints the value.
 */
public record SecretRef(String variable, String value) {

  public static final SecretRef NONE = new SecretRef(null, null);

  public boolean isConfigured() {
    return variable != null;
  }

  public boolean isMissing() {
    return variable != null && (value == null || value.isEmpty());
  }

  @Override
  public String toString() {
    return variable == null ? "none" : "${" + variable + "}" + (isMissing() ? " (unset)" : " (set)");
  }
}

package io.tracegate.config;

/**
 * A secret named by an environment variable ({@code ${NAME}} or {@code ${NAME:-default}}), resolved at load.
 * As in a shell, the default applies when the variable is unset or empty. {@code value} is null when there is
 * then no default: the secret is {@linkplain #isMissing() missing} and requests that need it fail with an
 * error naming {@code variable}. {@code ${NAME:-}} (empty default) means "optional": not missing, but
 * {@link #hasValue()} is false, so no credential is sent (a local vLLM without a key). toString never prints
 * the value.
 */
public record SecretRef(String variable, String value) {

  public static final SecretRef NONE = new SecretRef(null, null);

  public boolean isConfigured() {
    return variable != null;
  }

  /** A variable is named but it is unset (or empty) and has no default. */
  public boolean isMissing() {
    return variable != null && value == null;
  }

  /** There is a non-empty value to send. */
  public boolean hasValue() {
    return value != null && !value.isEmpty();
  }

  @Override
  public String toString() {
    if (variable == null) {
      return "none";
    }
    return "${" + variable + "}" + (isMissing() ? " (unset)" : hasValue() ? " (set)" : " (empty)");
  }
}

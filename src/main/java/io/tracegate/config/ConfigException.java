package io.tracegate.config;

/**
 * An invalid or unreadable configuration or pricing file. The message always names the file and, where
 * there is one, the path of the offending key: {@code <file>: <path>: <what was expected / found>}, e.g.
 * {@code conf/tracegate.yaml: models[2].backends[0].provider: expected one of openai, anthropic, mock but
 * was "openia"}. YAML syntax errors name the line and column instead of a key path.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

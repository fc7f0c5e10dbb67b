package io.tracegate.config;

/**
 * Where a translation to Chat Completions puts the {@code role: "system"} entries that an Anthropic client
 * sends inside {@code messages} (Claude Code does: agent lists and {@code <system-reminder>} texts). Chat
 * templates differ in what they accept; see docs/config.md for which to use with which template family.
 */
public enum SystemMessages {
  /** A {@code system} message at the entry's position (Qwen2.5/Qwen3, Llama 3.x, DeepSeek, GLM templates). */
  KEEP("keep"),
  /** Appended, in order, to the one leading system message (templates that take a system message only first). */
  MERGE_FIRST("merge_first"),
  /** A {@code user} message at the entry's position (templates with no system role at all). */
  AS_USER("as_user");

  private final String id;

  SystemMessages(String id) {
    this.id = id;
  }

  /** The name in the configuration file. */
  public String id() {
    return id;
  }
}

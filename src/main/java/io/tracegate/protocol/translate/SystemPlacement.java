package io.tracegate.protocol.translate;

/**
 * Where {@link AnthropicToOpenAiRequest} puts a {@code role: "system"} entry found inside an Anthropic
 * request's {@code messages}. Anthropic accepts such entries (Claude Code sends its agent list and
 * {@code <system-reminder>} texts this way); Chat Completions templates differ in where they take a system
 * message, so the backend's configuration chooses.
 */
public enum SystemPlacement {
  /** A {@code system} message at the entry's position. */
  KEEP,
  /** The text appended, in order, to the one leading {@code system} message (created when there is none). */
  MERGE_FIRST,
  /** A {@code user} message at the entry's position. */
  AS_USER
}

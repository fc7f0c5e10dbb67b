package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {
  @Test
  void starAndQuestionMark() {
    assertThat(Glob.matches("claude-*", "claude-sonnet-4-5")).isTrue();
    assertThat(Glob.matches("claude-*", "claude-")).isTrue();
    assertThat(Glob.matches("claude-*", "gpt-4o")).isFalse();
    assertThat(Glob.matches("*-mini", "gpt-4o-mini")).isTrue();
    assertThat(Glob.matches("gpt-*-mini*", "gpt-4.1-mini-2025-04-14")).isTrue();
    assertThat(Glob.matches("o?-mini", "o4-mini")).isTrue();
    assertThat(Glob.matches("o?-mini", "o-mini")).isFalse();
    assertThat(Glob.matches("*", "")).isTrue();
    assertThat(Glob.matches("a*b*c", "aXbYbZc")).isTrue();
    assertThat(Glob.matches("a*b*c", "aXbYbZ")).isFalse();
    assertThat(Glob.matches("gpt-4o", "gpt-4o")).isTrue();
    assertThat(Glob.matches("gpt-4o", "GPT-4o")).isFalse();
    assertThat(Glob.matches("gpt.4o", "gpt-4o")).isFalse();
  }

  @Test
  void isGlob() {
    assertThat(Glob.isGlob("claude-*")).isTrue();
    assertThat(Glob.isGlob("o?-mini")).isTrue();
    assertThat(Glob.isGlob("gpt-4.1")).isFalse();
  }
}

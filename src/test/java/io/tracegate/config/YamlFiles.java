package io.tracegate.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes test YAML into a temporary directory. */
final class YamlFiles {
  private YamlFiles() {}

  static Path write(Path dir, String name, String yaml) {
    try {
      return Files.writeString(dir.resolve(name), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A minimal valid config with the given extra top-level YAML prepended. */
  static String minimal(String extra) {
    return extra + "\nmodels:\n  - name: m\n    backends:\n      - provider: mock\n";
  }
}

package io.tracegate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The project version from pom.xml, which Maven writes into {@code version.properties} at build time. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"tracegate " + projectVersion()};
  }

  /** The pom's version, or "unknown" for classes not built by Maven (no filtered resource). */
  static String projectVersion() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String v = p.getProperty("version", "");
    return v.isBlank() || v.startsWith("${") ? "unknown" : v;
  }
}

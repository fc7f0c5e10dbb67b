package io.tracegate.cli;

import picocli.CommandLine;

/** Version from the jar manifest, "dev" when running from classes. */
final class Version implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return new String[] {"tracegate " + (v == null ? "dev" : v)};
  }
}

package io.tracegate.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the standard output streams are terminals, each on its own: colours and the export progress bar
 * are for a person at a terminal, never for a file or a pipe. Java cannot ask this of one stream
 * ({@code System.console()} looks at stdin and stdout together, and from Java 22 not even that), so it reads
 * where {@code /proc/self/fd/N} points. Without /proc (not Linux) nothing counts as a terminal: plain output.
 */
final class Terminal {
  private Terminal() {}

  static boolean stdout() {
    return isTerminal(1);
  }

  static boolean stderr() {
    return isTerminal(2);
  }

  private static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}

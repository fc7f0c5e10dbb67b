package io.tracegate.server;

import io.tracegate.config.ServerConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.logging.Logger;

/**
 * Resolves {@code server.shed_connections_above}. {@code auto} is half of the file descriptors the process
 * has free at start: every proxied request may hold an upstream connection besides its client's, and the
 * acceptor takes new connections before any event loop can shed older ones, so it needs room to run ahead.
 * Where the JVM cannot tell its descriptor limit, {@code auto} never sheds.
 */
final class DescriptorBudget {
  private static final Logger LOG = Logger.getLogger(DescriptorBudget.class.getName());
  /** Below this the process could not serve anything anyway; shedding at fewer would only hurt. */
  private static final int MIN_AUTO = 16;

  private DescriptorBudget() {}

  /** Client connections above which the oldest unanswered ones are shed; {@link ClientConnections#UNLIMITED}: never. */
  static int shedAbove(ServerConfig config) {
    int configured = config.shedConnectionsAbove();
    if (configured == ServerConfig.SHED_OFF) {
      return ClientConnections.UNLIMITED;
    }
    if (configured != ServerConfig.SHED_AUTO) {
      return configured;
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
      return ClientConnections.UNLIMITED;
    }
    long max = unix.getMaxFileDescriptorCount();
    long used = unix.getOpenFileDescriptorCount();
    if (max <= 0 || used < 0) {
      return ClientConnections.UNLIMITED;
    }
    int auto = (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_AUTO, (max - used) / 2));
    LOG.fine(() -> "server.shed_connections_above: auto = " + auto + " (descriptor limit " + max + ", " + used
        + " in use at start)");
    return auto;
  }
}

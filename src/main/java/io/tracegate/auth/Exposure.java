package io.tracegate.auth;

import io.tracegate.config.AccessConfig;
import java.util.Locale;

/**
 * Whether the gateway may start where it is asked to listen: on a loopback address anything goes (local
 * development: only this machine reaches it); on any other address (0.0.0.0, a LAN address, a name) anyone
 * who reaches the port could read every stored prompt and answer and spend the backends' keys, so an admin
 * key is required unless {@code server.insecure: true} / {@code serve --insecure} says otherwise.
 */
public final class Exposure {
  private Exposure() {}

  public static boolean isLoopback(String host) {
    String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /**
   * @return a warning to print loudly when the gateway starts exposed on purpose, else null
   * @throws IllegalStateException, saying how to set an admin key, when it may not start
   */
  public static String check(String host, AccessConfig access) {
    if (isLoopback(host) || access.hasAdminKey()) {
      return null;
    }
    String risk = "server.host is " + host + ", reachable from other machines, and no admin key is set: anyone who"
        + " reaches the port can read every stored prompt and answer, post rewards and spend the backends' keys";
    if (access.insecure()) {
      return "WARNING: INSECURE: " + risk + " (server.insecure / --insecure)";
    }
    throw new IllegalStateException(risk + ". Set an admin key: export " + AccessConfig.ADMIN_KEY_VARIABLE
        + "=$(openssl rand -hex 32) and add 'auth: { admin_key: ${" + AccessConfig.ADMIN_KEY_VARIABLE + "} }' to the"
        + " config; or listen on 127.0.0.1; or, on a network you trust, start with --insecure"
        + " (server.insecure: true)");
  }
}

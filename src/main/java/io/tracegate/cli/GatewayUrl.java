package io.tracegate.cli;

import io.tracegate.config.ServerConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The base URL of the gateway a command talks to, without a trailing slash: given with {@code --url}, or
 * derived from a config's {@code server} section (what {@code tracegate serve --config} listens on).
 */
record GatewayUrl(String base) {
  /** Hosts a server binds to mean "every interface"; a client reaches such a gateway on loopback. */
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "");

  /** The gateway {@code tracegate serve} runs on by default. */
  static final GatewayUrl DEFAULT = of(ServerConfig.defaults());

  /**
   * @throws IllegalArgumentException when the text is not an http(s) URL with a host
   */
  static GatewayUrl parse(String text) {
    String t = text.strip();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    URI uri = null;
    try {
      uri = new URI(t);
    } catch (URISyntaxException e) {
      // reported below
    }
    String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("--url must be an http:// or https:// URL such as http://127.0.0.1:4000, got '"
          + text + "'");
    }
    return new GatewayUrl(t);
  }

  /**
   * The URL a client on this machine uses for a gateway serving with these settings: a wildcard host
   * (0.0.0.0, ::) becomes 127.0.0.1, an IPv6 host gets brackets.
   *
   * @throws IllegalArgumentException when the port is 0 (picked at start, so unknown here)
   */
  static GatewayUrl of(ServerConfig server) {
    if (server.port() == 0) {
      throw new IllegalArgumentException("the config's server.port is 0 (a free port picked when the gateway"
          + " starts), so the gateway's address is not known: pass it with --url");
    }
    String host = server.host() == null ? "" : server.host().strip();
    if (WILDCARDS.contains(host)) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return new GatewayUrl("http://" + host + ":" + server.port());
  }

  /** This URL followed by a path that starts with "/". */
  URI resolve(String path) {
    return URI.create(base + path);
  }

  @Override
  public String toString() {
    return base;
  }
}

package io.tracegate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the access settings: {@code server.cors_origins}, {@code allowed_hosts}, {@code insecure} and {@code auth:}. */
final class AccessKeys {
  static final List<String> SERVER_KEYS = List.of("cors_origins", "allowed_hosts", "insecure");
  private static final List<String> AUTH_KEYS = List.of("admin_key", "require_keys");

  private AccessKeys() {}

  /** {@code server} may be absent; {@code auth} may be absent. */
  static AccessConfig access(YamlNode server, YamlNode auth, EnvRefs env) {
    List<String> origins = server.isAbsent() ? List.of() : origins(server.get("cors_origins"));
    List<String> hosts = server.isAbsent() ? List.of() : hosts(server.get("allowed_hosts"));
    boolean insecure = !server.isAbsent() && bool(server.get("insecure"));
    if (auth.isAbsent()) {
      return new AccessConfig(origins, hosts, insecure, SecretRef.NONE, false);
    }
    auth.mapping(AUTH_KEYS);
    YamlNode adminNode = auth.get("admin_key");
    SecretRef admin = env.secret(adminNode);
    if (admin.isMissing()) {
      throw adminNode.error("environment variable " + admin.variable() + " is not set: export it (e.g. export "
          + admin.variable() + "=$(openssl rand -hex 32)), or write ${" + admin.variable()
          + ":-} to run without an admin key");
    }
    return new AccessConfig(origins, hosts, insecure, admin, bool(auth.get("require_keys")));
  }

  private static boolean bool(YamlNode n) {
    if (n.isAbsent()) {
      return false;
    }
    if (!n.isBoolean()) {
      throw n.error("expected true or false but was " + n.describe());
    }
    return n.booleanValue();
  }

  /** Each an origin as browsers send it: {@code scheme://host[:port]}, no path; stored lower case. */
  private static List<String> origins(YamlNode n) {
    List<String> out = new ArrayList<>();
    if (n.isAbsent()) {
      return out;
    }
    for (YamlNode item : n.list()) {
      String text = item.string().strip();
      String problem = null;
      try {
        URI uri = new URI(text);
        if (uri.getScheme() == null || uri.getHost() == null) {
          problem = "expected an origin like https://app.example.com or http://localhost:3000";
        } else if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
          problem = "an origin has no path or query (browsers send scheme://host[:port])";
        }
      } catch (URISyntaxException e) {
        problem = "expected an origin like https://app.example.com (" + e.getReason() + ")";
      }
      if (problem != null) {
        throw item.error(problem + " but was " + YamlNode.quote(text));
      }
      out.add(text.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** Host names (no port), or {@code "*"} for any. */
  private static List<String> hosts(YamlNode n) {
    List<String> out = new ArrayList<>();
    if (n.isAbsent()) {
      return out;
    }
    for (YamlNode item : n.list()) {
      String text = item.string().strip().toLowerCase(Locale.ROOT);
      if (text.isEmpty() || text.contains("/") || (text.contains(":") && !text.startsWith("["))) {
        throw item.error("expected a host name without scheme or port (e.g. gateway.internal) or \"*\" but was "
            + YamlNode.quote(text));
      }
      out.add(text);
    }
    return out;
  }
}

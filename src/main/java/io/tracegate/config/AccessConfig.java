package io.tracegate.config;

import java.util.List;

/**
 * Who may use the gateway (docs/security.md): browser-origin protection, the admin key of {@code /api/*},
 * virtual keys on the proxy.
 *
 * @param corsOrigins {@code server.cors_origins}: origins (e.g. {@code https://app.example.com}) whose pages may call
 *     the gateway from a browser; any other {@code Origin} gets 403
 * @param allowedHosts {@code server.allowed_hosts}: {@code Host} names accepted besides IP literals,
 *     {@code localhost} and the bound host; {@code "*"} accepts any (behind a load balancer)
 * @param insecure {@code server.insecure}: start on a non-loopback host without an admin key
 * @param adminKey {@code auth.admin_key}: when it has a value, {@code /api/*} needs {@code Authorization: Bearer}
 * @param requireKeys {@code auth.require_keys}: {@code /v1/*} needs a virtual key (or the admin key)
 */
public record AccessConfig(List<String> corsOrigins, List<String> allowedHosts, boolean insecure, SecretRef adminKey,
    boolean requireKeys) {
  public static final String ANY_HOST = "*";
  public static final String ADMIN_KEY_VARIABLE = "TRACEGATE_ADMIN_KEY";

  public AccessConfig {
    corsOrigins = List.copyOf(corsOrigins);
    allowedHosts = List.copyOf(allowedHosts);
    adminKey = adminKey == null ? SecretRef.NONE : adminKey;
  }

  /** Nothing configured: no browser origin allowed, loopback names and IP literals only, no keys. */
  public static AccessConfig defaults() {
    return new AccessConfig(List.of(), List.of(), false, SecretRef.NONE, false);
  }

  public boolean hasAdminKey() {
    return adminKey.hasValue();
  }

  public AccessConfig withAdminKey(String key) {
    return new AccessConfig(corsOrigins, allowedHosts, insecure, new SecretRef(ADMIN_KEY_VARIABLE, key), requireKeys);
  }

  public AccessConfig withRequireKeys(boolean require) {
    return new AccessConfig(corsOrigins, allowedHosts, insecure, adminKey, require);
  }

  public AccessConfig withInsecure(boolean on) {
    return new AccessConfig(corsOrigins, allowedHosts, on, adminKey, requireKeys);
  }

  public AccessConfig withCorsOrigins(List<String> origins) {
    return new AccessConfig(origins, allowedHosts, insecure, adminKey, requireKeys);
  }

  public AccessConfig withAllowedHosts(List<String> hosts) {
    return new AccessConfig(corsOrigins, hosts, insecure, adminKey, requireKeys);
  }
}

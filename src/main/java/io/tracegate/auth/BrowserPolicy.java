package io.tracegate.auth;

import io.tracegate.config.AccessConfig;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What protects the gateway from web pages its user visits (docs/security.md): a page on another site may
 * send requests to 127.0.0.1 (cross-site request forgery) or rebind its own DNS name to 127.0.0.1 (DNS
 * rebinding). Browsers always send {@code Origin} on cross-origin POSTs and a rebound page's requests carry
 * the page's DNS name in {@code Host}; SDKs, curl and Claude Code send no {@code Origin} and the address they
 * were given as {@code Host}. So:
 * <ul>
 *   <li>an {@code Origin} is accepted only when it is listed in {@code server.cors_origins}, or is the
 *       gateway's own origin ({@code http://} + the request's accepted {@code Host});</li>
 *   <li>a {@code Host} is accepted when it is an IP literal (a rebinding attack always carries a DNS name),
 *       {@code localhost}, the bound host, or listed in {@code server.allowed_hosts} ({@code *}: any);</li>
 *   <li>a request body sent to a JSON endpoint must say {@code application/json} (or {@code +json}): the
 *       content types a page may send without a CORS preflight (text/plain, forms) are refused.</li>
 * </ul>
 * Thread-safe, immutable; each check is a few string comparisons.
 */
public final class BrowserPolicy {
  private final Set<String> origins;
  private final Set<String> hosts;
  private final boolean anyHost;

  public BrowserPolicy(AccessConfig access, String boundHost) {
    this.origins = Set.copyOf(access.corsOrigins());
    Set<String> h = new HashSet<>(access.allowedHosts());
    h.add("localhost");
    if (boundHost != null && !boundHost.isBlank()) {
      h.add(boundHost.strip().toLowerCase(Locale.ROOT));
    }
    this.anyHost = h.remove(AccessConfig.ANY_HOST);
    this.hosts = Set.copyOf(h);
  }

  /** Whether the origin is one of {@code server.cors_origins}. */
  public boolean isCorsOrigin(String origin) {
    return origins.contains(origin.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * Checks a request's {@code Host} and {@code Origin} headers (either may be null).
   *
   * @throws AccessDenied when either is refused
   */
  public void checkHostAndOrigin(String host, String origin) {
    String name = host == null ? null : hostName(host);
    if (name != null && !anyHost && !hosts.contains(name) && !isIpLiteral(name)) {
      throw new AccessDenied(AccessDenied.Reason.HOST_NOT_ALLOWED, "Host '" + host + "' is not allowed: requests"
          + " must address the gateway by IP, localhost, its bound host or a name in server.allowed_hosts"
          + " (protection against DNS rebinding)");
    }
    if (origin != null && !allowedOrigin(origin, host)) {
      throw new AccessDenied(AccessDenied.Reason.ORIGIN_NOT_ALLOWED, "cross-origin request from '" + origin
          + "' refused: only origins listed in server.cors_origins may call the gateway from a browser");
    }
  }

  /**
   * Checks the content type of a request with a body to a JSON endpoint.
   *
   * @throws AccessDenied (415) when it is absent or not JSON
   */
  public static void checkJson(String contentType) {
    if (!isJson(contentType)) {
      throw new AccessDenied(AccessDenied.Reason.NOT_JSON, "expected a JSON body (content-type: application/json)"
          + " but the content type was " + (contentType == null ? "missing" : "'" + contentType + "'"));
    }
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String mime = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
  }

  private boolean allowedOrigin(String origin, String host) {
    String o = origin.strip().toLowerCase(Locale.ROOT);
    if (origins.contains(o)) {
      return true;
    }
    // the gateway's own pages (the trace UI) are same-origin: Origin is http://<the Host it was reached by>
    return host != null && (o.equals("http://" + host.strip().toLowerCase(Locale.ROOT))
        || o.equals("https://" + host.strip().toLowerCase(Locale.ROOT)));
  }

  /** The host of a Host header, lower case, without port; an IPv6 literal keeps its brackets. */
  static String hostName(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? h : h.substring(0, close + 1);
    }
    int colon = h.lastIndexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  /** A dotted IPv4 address or a bracketed IPv6 address: never the product of a DNS lookup. */
  static boolean isIpLiteral(String name) {
    if (name.startsWith("[") && name.endsWith("]")) {
      for (int i = 1; i < name.length() - 1; i++) {
        char c = name.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
          return false;
        }
      }
      return name.length() > 2;
    }
    int dots = 0;
    int digits = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (digits == 0) {
          return false;
        }
        dots++;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        digits++;
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }
}

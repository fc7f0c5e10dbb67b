package io.tracegate.upstream;

import java.net.URI;

/** A backend base URL split into what the HTTP client needs. {@code pathPrefix} has no trailing slash. */
record BaseUrl(boolean ssl, String host, int port, String pathPrefix) {

  static BaseUrl parse(String url) {
    URI uri = URI.create(url);
    boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return new BaseUrl(ssl, uri.getHost(), port, path);
  }
}

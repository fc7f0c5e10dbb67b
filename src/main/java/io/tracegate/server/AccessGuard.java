package io.tracegate.server;

import io.tracegate.auth.AccessDenied;
import io.tracegate.auth.ActiveKey;
import io.tracegate.auth.BrowserPolicy;
import io.tracegate.auth.KeyRing;
import io.tracegate.auth.KeySecrets;
import io.tracegate.config.AccessConfig;
import io.tracegate.trace.EpochClock;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Set;

/**
 * The one place access is checked, first of all handlers, before any body is read (docs/security.md):
 * {@code Host} and {@code Origin} on every request, JSON content type on bodies sent to JSON endpoints, the
 * admin key on {@code /api/*}, a virtual key (or the admin key) on {@code /v1/*} when {@code auth.require_keys}.
 * A refused request is answered here in the shape of the protocol of its path and records no span: whoever may
 * not use the gateway cannot write into its store either. An accepted virtual key is left in the context
 * ({@link #KEY}) for the model and rate limits, and the client's credential headers are removed, so that no
 * backend ever receives the key (the backend's own key, if any, is sent instead).
 */
final class AccessGuard implements Handler<RoutingContext> {
  /** Context key of the {@link ActiveKey} a proxy request was authenticated with (absent: none needed, or admin). */
  static final String KEY = "tracegate.key";
  private static final String X_API_KEY = "x-api-key";
  private static final String BEARER = "bearer ";
  /** Claude Code's start-up probe of its base URL: harmless, never refused by keys. */
  private static final String HELLO = "/api/hello";

  private final BrowserPolicy browser;
  private final String adminKey;
  private final boolean requireKeys;
  private final KeyRing keys;
  /** CORS answers (preflights, Access-Control-Allow-Origin) for the origins of server.cors_origins; null: none. */
  private final CorsHandler cors;

  private final GatewayMetrics metrics;

  AccessGuard(AccessConfig access, String boundHost, KeyRing keys, GatewayMetrics metrics) {
    this.metrics = metrics;
    this.browser = new BrowserPolicy(access, boundHost);
    this.cors = access.corsOrigins().isEmpty() ? null : CorsHandler.create().addOrigins(access.corsOrigins())
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("authorization", "content-type", "x-api-key", "anthropic-version", "anthropic-beta",
            "x-rollout-id", "x-attempt-id", RolloutTags.HEADER, "traceparent", "tracestate"))
        .exposedHeader("retry-after");
    this.adminKey = access.hasAdminKey() ? access.adminKey().value() : null;
    this.requireKeys = access.requireKeys();
    this.keys = keys;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // the path the router matches (dot segments removed, escapes decoded), not the raw one: /x/../api/spans is
    // /api/spans to the router, so it must be to the guard too
    String path = ctx.normalizedPath();
    String origin;
    try {
      MultiMap headers = request.headers();
      origin = headers.get(HttpHeaders.ORIGIN);
      browser.checkHostAndOrigin(headers.get(HttpHeaders.HOST), origin);
      if (origin != null && request.method() == HttpMethod.OPTIONS && cors != null
          && browser.isCorsOrigin(origin)) {
        cors.handle(ctx); // a preflight: answered by the CORS handler, no key needed
        return;
      }
      boolean api = path.contains("/api/") && !path.endsWith(HELLO);
      boolean proxy = path.contains("/v1/") || path.endsWith("/v1");
      if ((api || proxy || path.endsWith(HELLO)) && hasBody(request)) {
        BrowserPolicy.checkJson(headers.get(HttpHeaders.CONTENT_TYPE));
      }
      if (api && adminKey != null && request.method() != HttpMethod.OPTIONS) {
        String presented = credential(headers);
        if (presented == null) {
          throw new AccessDenied(AccessDenied.Reason.MISSING_KEY, "the API needs the admin key: send"
              + " 'Authorization: Bearer <key>' (the CLI sends $" + AccessConfig.ADMIN_KEY_VARIABLE + ")");
        }
        if (!KeySecrets.same(presented, adminKey)) {
          throw new AccessDenied(AccessDenied.Reason.INVALID_KEY, "invalid admin key");
        }
      }
      if (proxy && requireKeys && request.method() != HttpMethod.OPTIONS) {
        authenticate(ctx, headers);
      }
    } catch (AccessDenied denied) {
      metrics.refuse(denied.reason());
      refuse(ctx, denied);
      return;
    }
    if (origin != null && cors != null && browser.isCorsOrigin(origin)) {
      cors.handle(ctx); // adds Access-Control-Allow-Origin, then continues
    } else {
      ctx.next();
    }
  }

  private void authenticate(RoutingContext ctx, MultiMap headers) {
    String presented = credential(headers);
    if (presented == null) {
      throw new AccessDenied(AccessDenied.Reason.MISSING_KEY, "this gateway needs an API key: send a tracegate"
          + " key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
    }
    if (adminKey == null || !KeySecrets.same(presented, adminKey)) {
      ActiveKey key = keys.authenticate(presented, EpochClock.nowUnixNano());
      ctx.put(KEY, key);
    }
    // the gateway's key is for the gateway: the backend gets its own, never this one
    headers.remove(HttpHeaders.AUTHORIZATION);
    headers.remove(X_API_KEY);
  }

  /** The {@code x-api-key} value, else the token of {@code Authorization: Bearer}, else null. */
  private static String credential(MultiMap headers) {
    String apiKey = headers.get(X_API_KEY);
    if (apiKey != null && !apiKey.isBlank()) {
      return apiKey.strip();
    }
    String auth = headers.get(HttpHeaders.AUTHORIZATION);
    if (auth != null && auth.length() > BEARER.length() && auth.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return auth.substring(BEARER.length()).strip();
    }
    return null;
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      return !length.strip().equals("0");
    }
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
  }

  private static void refuse(RoutingContext ctx, AccessDenied denied) {
    ErrorMapper.MappedError error = ErrorMapper.map(denied);
    var response = ctx.response();
    if (error.retryAfterSeconds() != null) {
      response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(error.retryAfterSeconds()));
    }
    if (denied.reason().status() == 401) {
      response.putHeader("www-authenticate", "Bearer");
    }
    // the body may not have been read: close rather than leave it to be drained on a kept-alive connection
    response.putHeader(HttpHeaders.CONNECTION, "close");
    boolean anthropic = ctx.request().path().contains("/v1/messages");
    response.setStatusCode(error.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(anthropic ? ErrorMapper.anthropicBody(error) : ErrorMapper.openAiBody(error));
  }
}

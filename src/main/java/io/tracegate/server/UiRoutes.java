package io.tracegate.server;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The trace UI under {@code /ui/}: static files from the classpath (the jar), never the file system. The UI's own
 * files ({@code src/main/resources/ui/}) are served from {@code /ui/}; front-end libraries come as WebJars and are
 * served from {@code /ui/lib/<name>/<version>/...} (their {@code META-INF/resources/webjars/} folder). Vert.x's
 * StaticHandler reads the resources off the event loop and sets the content type, {@code ETag},
 * {@code Last-Modified} and {@code Cache-Control}: the versioned libraries may be cached for a day, the UI's own
 * files are revalidated on every load ({@code no-cache}), so a new gateway version is picked up at once. The UI
 * reads everything it shows from {@code /api/}.
 */
final class UiRoutes {
  static final String UI_ROOT = "ui";
  static final String WEBJARS_ROOT = "META-INF/resources/webjars";

  private UiRoutes() {}

  static void mount(Router router) {
    // a route for "/ui" also matches "/ui/": only the bare path is redirected
    router.get("/ui").handler(ctx -> {
      if (ctx.request().path().equals("/ui")) {
        ctx.redirect("/ui/");
      } else {
        ctx.next();
      }
    });
    router.route("/ui/lib/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(StaticHandler.create(WEBJARS_ROOT).setDirectoryListing(false)
        .setMaxAgeSeconds(86_400));
    router.route("/ui/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
      ctx.next();
    }).handler(StaticHandler.create(UI_ROOT).setDirectoryListing(false).setCachingEnabled(false)
        .setIndexPage("index.html"));
  }
}

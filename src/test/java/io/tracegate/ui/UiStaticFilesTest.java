package io.tracegate.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.StoreConfig;
import io.tracegate.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /ui/} is served by the gateway from the classpath: content types, cache headers, the WebJar files. */
class UiStaticFilesTest {

  @Test
  void servesTheUiAndItsLibrariesFromTheJar() throws Exception {
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.memory(), 1 << 20,
        Map.of("policy", TestGateway.mock(Set.of()))))) {
      HttpResponse<String> index = gw.get("/ui/");
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.headers().firstValue("content-type")).hasValue("text/html;charset=UTF-8");
      assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
      assertThat(index.body()).contains("<script type=\"module\" src=\"/ui/app.js\">").doesNotContain("${");

      // every library URL index.html names (the pom's WebJar version filtered in) is served, cacheable
      Matcher lib = Pattern.compile("\"(/ui/lib/[^\"]+)\"").matcher(index.body());
      int libs = 0;
      while (lib.find()) {
        HttpResponse<String> r = gw.get(lib.group(1));
        assertThat(r.statusCode()).as(lib.group(1)).isEqualTo(200);
        assertThat(r.headers().firstValue("cache-control").orElse("")).contains("max-age=86400");
        assertThat(r.headers().firstValue("content-type").orElse(""))
            .startsWith(lib.group(1).endsWith(".css") ? "text/css" : "text/javascript");
        libs++;
      }
      assertThat(libs).isEqualTo(2); // uPlot's module and stylesheet

      assertThat(gw.get("/ui/app.js").headers().firstValue("content-type")).hasValue("text/javascript;charset=UTF-8");
      assertThat(gw.get("/ui/style.css").headers().firstValue("content-type")).hasValue("text/css;charset=UTF-8");
      assertThat(gw.get("/ui/views/call.js").statusCode()).isEqualTo(200);
      assertThat(gw.get("/ui/missing.js").statusCode()).isEqualTo(404);
      assertThat(gw.get("/ui/../conf/tracegate.yaml").statusCode()).isEqualTo(404);

      HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
      HttpResponse<Void> bare = noRedirects.send(HttpRequest.newBuilder(URI.create(gw.url("/ui"))).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(bare.statusCode()).isEqualTo(302);
      assertThat(bare.headers().firstValue("location")).hasValue("/ui/");
      HttpResponse<Void> head = noRedirects.send(HttpRequest.newBuilder(URI.create(gw.url("/ui/app.js")))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
      assertThat(head.statusCode()).isEqualTo(200);
    }
  }
}

package io.tracegate.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.config.AccessConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Host and Origin rules, and which hosts may start without an admin key. */
class BrowserPolicyTest {
  private final BrowserPolicy policy = new BrowserPolicy(AccessConfig.defaults(), "127.0.0.1");

  @Test
  void ipLiteralsAreNeverRebound() {
    assertThat(BrowserPolicy.isIpLiteral("127.0.0.1")).isTrue();
    assertThat(BrowserPolicy.isIpLiteral("[::1]")).isTrue();
    assertThat(BrowserPolicy.isIpLiteral("[fe80::1]")).isTrue();
    assertThat(BrowserPolicy.isIpLiteral("1.2.3")).isFalse();
    assertThat(BrowserPolicy.isIpLiteral("1.2.3.4.evil.example")).isFalse();
    assertThat(BrowserPolicy.isIpLiteral("1234.1.1.1")).isFalse();
    assertThat(BrowserPolicy.isIpLiteral("127.0.0.1.nip.io")).isFalse();
  }

  @Test
  void hostsAndOrigins() {
    policy.checkHostAndOrigin("127.0.0.1:4000", null);
    policy.checkHostAndOrigin(null, null);
    policy.checkHostAndOrigin("localhost:4000", "http://localhost:4000");
    assertThatThrownBy(() -> policy.checkHostAndOrigin("127.0.0.1.nip.io:4000", null))
        .isInstanceOf(AccessDenied.class).hasMessageContaining("DNS rebinding");
    assertThatThrownBy(() -> policy.checkHostAndOrigin("127.0.0.1:4000", "null"))
        .isInstanceOf(AccessDenied.class).hasMessageContaining("server.cors_origins");
    assertThatThrownBy(() -> policy.checkHostAndOrigin("127.0.0.1:4000", "http://127.0.0.1:4001"))
        .isInstanceOf(AccessDenied.class);
    BrowserPolicy listed = new BrowserPolicy(AccessConfig.defaults().withCorsOrigins(List.of("https://app.example")),
        "0.0.0.0");
    listed.checkHostAndOrigin("10.0.0.5:4000", "HTTPS://APP.EXAMPLE");
    assertThat(listed.isCorsOrigin("https://app.example")).isTrue();
  }

  @Test
  void jsonContentTypes() {
    BrowserPolicy.checkJson("application/json");
    BrowserPolicy.checkJson("Application/JSON; charset=utf-8");
    BrowserPolicy.checkJson("application/vnd.api+json");
    for (String bad : new String[] {null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
      assertThatThrownBy(() -> BrowserPolicy.checkJson(bad)).isInstanceOf(AccessDenied.class);
    }
  }

  @Test
  void onlyLoopbackStartsWithoutAnAdminKeyUnlessInsecure() {
    assertThat(Exposure.check("127.0.0.1", AccessConfig.defaults())).isNull();
    assertThat(Exposure.check("::1", AccessConfig.defaults())).isNull();
    assertThatThrownBy(() -> Exposure.check("0.0.0.0", AccessConfig.defaults()))
        .hasMessageContaining("TRACEGATE_ADMIN_KEY").hasMessageContaining("--insecure");
    assertThat(Exposure.check("0.0.0.0", AccessConfig.defaults().withAdminKey("k"))).isNull();
    assertThat(Exposure.check("0.0.0.0", AccessConfig.defaults().withInsecure(true))).startsWith("WARNING: INSECURE");
  }
}

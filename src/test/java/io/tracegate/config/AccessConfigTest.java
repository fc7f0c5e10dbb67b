package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.cors_origins}, {@code allowed_hosts}, {@code insecure} and {@code auth:}: values and errors naming their key. */
class AccessConfigTest {
  @TempDir Path dir;

  private GatewayConfig load(String extra, Map<String, String> env) {
    return ConfigLoader.load(YamlFiles.write(dir, "tracegate.yaml", YamlFiles.minimal(extra)), env);
  }

  private void fails(String extra, String message) {
    assertThatThrownBy(() -> load(extra, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(dir.resolve("tracegate.yaml") + ": " + message);
  }

  @Test
  void defaultsAreOpenOnLoopbackWithoutKeys() {
    AccessConfig a = load("", Map.of()).access();
    assertThat(a.corsOrigins()).isEmpty();
    assertThat(a.allowedHosts()).isEmpty();
    assertThat(a.insecure()).isFalse();
    assertThat(a.hasAdminKey()).isFalse();
    assertThat(a.requireKeys()).isFalse();
  }

  @Test
  void everyKeyLoads() {
    AccessConfig a = load("""
        server:
          cors_origins: [https://App.example.com, "http://localhost:3000"]
          allowed_hosts: [gateway.internal]
          insecure: true
        auth: { admin_key: "${TRACEGATE_ADMIN_KEY}", require_keys: true }
        """, Map.of("TRACEGATE_ADMIN_KEY", "adm-1")).access();
    assertThat(a.corsOrigins()).containsExactly("https://app.example.com", "http://localhost:3000");
    assertThat(a.allowedHosts()).containsExactly("gateway.internal");
    assertThat(a.insecure()).isTrue();
    assertThat(a.adminKey().value()).isEqualTo("adm-1");
    assertThat(a.adminKey().toString()).doesNotContain("adm-1");
    assertThat(a.requireKeys()).isTrue();
    assertThat(load("auth: { admin_key: \"${TRACEGATE_ADMIN_KEY:-}\" }", Map.of()).access().hasAdminKey()).isFalse();
  }

  @Test
  void errorsNameTheKey() {
    fails("server: { cors_origins: [\"https://app.example.com/ui\"] }", "server.cors_origins[0]:");
    fails("server: { cors_origins: [app.example.com] }", "server.cors_origins[0]:");
    fails("server: { allowed_hosts: [\"gateway.internal:4000\"] }", "server.allowed_hosts[0]:");
    fails("server: { insecure: yes please }", "server.insecure:");
    fails("auth: { admin_key: adm-literal }", "auth.admin_key:");
    fails("auth: { admin_key: \"${TRACEGATE_ADMIN_KEY}\" }", "auth.admin_key:");
    fails("auth: { require_keys: 1 }", "auth.require_keys:");
    fails("auth: { admin: x }", "auth.admin: unknown key; allowed keys here: admin_key, require_keys");
  }
}

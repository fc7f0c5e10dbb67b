package io.tracegate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tracegate.config.ServerConfig;
import org.junit.jupiter.api.Test;

class GatewayUrlTest {

  @Test
  void aConfigsServerBecomesTheUrlAClientOnThisMachineUses() {
    assertThat(from("127.0.0.1", 4100)).isEqualTo("http://127.0.0.1:4100");
    assertThat(from("0.0.0.0", 4000)).isEqualTo("http://127.0.0.1:4000");
    assertThat(from("::", 4000)).isEqualTo("http://127.0.0.1:4000");
    assertThat(from("[::]", 4000)).isEqualTo("http://127.0.0.1:4000");
    assertThat(from("::1", 4000)).isEqualTo("http://[::1]:4000");
    assertThat(from("gateway.internal", 80)).isEqualTo("http://gateway.internal:80");
    assertThat(GatewayUrl.DEFAULT.base()).isEqualTo("http://127.0.0.1:4000");
    assertThatThrownBy(() -> from("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server.port is 0")
        .hasMessageContaining("--url");
  }

  @Test
  void parsesHttpUrlsAndSaysWhatItExpectsOtherwise() {
    assertThat(GatewayUrl.parse(" http://127.0.0.1:4000// ").base()).isEqualTo("http://127.0.0.1:4000");
    assertThat(GatewayUrl.parse("https://gw.example/prefix").resolve("/api/spans").toString())
        .isEqualTo("https://gw.example/prefix/api/spans");
    for (String bad : new String[] {"127.0.0.1:4000", "localhost", "ftp://x", "http://", "http://a b"}) {
      assertThatThrownBy(() -> GatewayUrl.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--url must be an http:// or https:// URL such as http://127.0.0.1:4000, got '" + bad + "'");
    }
  }

  private static String from(String host, int port) {
    return GatewayUrl.of(new ServerConfig(host, port, ServerConfig.DEFAULT_MAX_BODY_BYTES, 0)).base();
  }
}

package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvResolutionTest {
  @TempDir Path dir;

  private Path backend(String keys) {
    return YamlFiles.write(
        dir,
        "env.yaml",
        "models:\n  - name: m\n    backends:\n      - provider: openai\n" + keys.indent(8));
  }

  private BackendConfig load(Path file, Map<String, String> env) {
    return ConfigLoader.load(file, env).models().get(0).backends().get(0);
  }

  @Test
  void secretFromTheEnvironment() {
    BackendConfig b = load(backend("base_url: http://h/v1\napi_key: ${KEY}"), Map.of("KEY", "s3cret"));

    assertThat(b.apiKey()).isEqualTo(new SecretRef("KEY", "s3cret"));
    assertThat(b.apiKey().isMissing()).isFalse();
    assertThat(b.apiKey().hasValue()).isTrue();
    assertThat(b.apiKey().toString()).isEqualTo("${KEY} (set)");
  }

  @Test
  void secretDefaultAppliesWhenUnsetOrEmpty() {
    Path file = backend("base_url: http://h/v1\napi_key: ${KEY:-EMPTY}");

    assertThat(load(file, Map.of()).apiKey().value()).isEqualTo("EMPTY");
    assertThat(load(file, Map.of("KEY", "")).apiKey().value()).isEqualTo("EMPTY");
    assertThat(load(file, Map.of("KEY", "real")).apiKey().value()).isEqualTo("real");
  }

  @Test
  void unsetSecretWithoutDefaultLoadsButIsMissing() {
    BackendConfig b = load(backend("base_url: http://h/v1\napi_key: ${OPENAI_API_KEY}"), Map.of());

    assertThat(b.apiKey().variable()).isEqualTo("OPENAI_API_KEY");
    assertThat(b.apiKey().value()).isNull();
    assertThat(b.apiKey().isMissing()).isTrue();
    assertThat(b.apiKey().toString()).isEqualTo("${OPENAI_API_KEY} (unset)");
  }

  @Test
  void baseUrlIsExpanded() {
    Path file = backend("base_url: http://${HOST:-127.0.0.1}:${PORT:-8000}/v1/");

    assertThat(load(file, Map.of()).baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(load(file, Map.of("HOST", "gpu1", "PORT", "9000")).baseUrl())
        .isEqualTo("http://gpu1:9000/v1");
  }

  @Test
  void unsetVariableWithoutDefaultInBaseUrlIsAnError() {
    Path file = backend("base_url: ${VLLM_URL}");

    assertThatThrownBy(() -> load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": models[0].backends[0].base_url: environment variable VLLM_URL is not set"
            + " and has no default (write ${VLLM_URL:-default} to give one)");
  }

  @Test
  void malformedReferenceIsAnError() {
    Path file = backend("base_url: http://${HOST/v1");

    assertThatThrownBy(() -> load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": models[0].backends[0].base_url: malformed environment reference");
  }

  @Test
  void storePathIsExpandedAndMadeAbsolute() {
    Path file =
        YamlFiles.write(dir, "s.yaml", YamlFiles.minimal("store: { path: \"${DATA:-data}/t.db\" }"));

    assertThat(ConfigLoader.load(file, Map.of()).store().path())
        .isEqualTo(Path.of("data/t.db").toAbsolutePath().toString());
    assertThat(ConfigLoader.load(file, Map.of("DATA", dir.toString())).store().path())
        .isEqualTo(dir.resolve("t.db").toString());
  }

  @Test
  void storePathWithUnsetVariableIsAnError() {
    Path file = YamlFiles.write(dir, "s.yaml", YamlFiles.minimal("store: { path: \"${DATA}/t.db\" }"));

    assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ": store.path: environment variable DATA is not set");
  }
}

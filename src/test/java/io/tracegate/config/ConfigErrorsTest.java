package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each class of configuration error, with the exact key path in the message. */
class ConfigErrorsTest {
  @TempDir Path dir;

  private AbstractThrowableAssert<?, ? extends Throwable> loading(String yaml) {
    Path file = YamlFiles.write(dir, "tracegate.yaml", yaml);
    return assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
        .isInstanceOf(ConfigException.class);
  }

  private String file() {
    return dir.resolve("tracegate.yaml") + ": ";
  }

  @Test
  void unknownTopLevelKey() {
    loading(YamlFiles.minimal("sever: { port: 1 }"))
        .hasMessage(file() + "sever: unknown key; allowed keys here: server, store, pricing, models, pause, telemetry, auth");
  }

  @Test
  void pauseSectionErrorsNameTheirKey() {
    loading(YamlFiles.minimal("pause: { hold: 1s }"))
        .hasMessage(file() + "pause.hold: unknown key; allowed keys here: hold_timeout, retry_after");
    loading(YamlFiles.minimal("pause: { hold_timeout: 0s }"))
        .hasMessageStartingWith(file() + "pause.hold_timeout: expected a positive duration");
    loading(YamlFiles.minimal("pause: { retry_after: soon }"))
        .hasMessageStartingWith(file() + "pause.retry_after: ");
  }

  @Test
  void unknownNestedKey() {
    loading(
            """
            models:
              - name: m
                backends:
                  - provider: mock
                    timeouts: { connect: 1s, read: 2s }
            """)
        .hasMessage(file() + "models[0].backends[0].timeouts.read: unknown key;"
            + " allowed keys here: connect, response, idle, pool_wait");
  }

  @Test
  void unknownBackendKey() {
    loading("models: [ { name: m, backends: [ { provider: mock, apikey: x } ] } ]")
        .hasMessageStartingWith(file() + "models[0].backends[0].apikey: unknown key; allowed keys here: ")
        .hasMessageContaining("api_key");
  }

  @Test
  void wrongNodeTypes() {
    loading(YamlFiles.minimal("server: { port: \"4000\" }"))
        .hasMessage(file() + "server.port: expected an integer but was a string \"4000\"");
    loading(YamlFiles.minimal("server: [ 1, 2 ]"))
        .hasMessage(file() + "server: expected a mapping (key: value) but was a list");
    loading("models: { name: m }")
        .hasMessage(file() + "models: expected a list but was a mapping");
    loading("models: [ { name: 12, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].name: expected a string but was an integer (12) (quote it)");
    loading("[1, 2]").hasMessage(file() + "(top level): expected a mapping (key: value) but was a list");
  }

  @Test
  void outOfRangePort() {
    loading(YamlFiles.minimal("server: { port: 70000 }"))
        .hasMessage(file() + "server.port: expected an integer in 0..65535 but was 70000");
  }

  @Test
  void badEnumValues() {
    loading(
            """
            models:
              - { name: a, backends: [ { provider: mock } ] }
              - { name: b, backends: [ { provider: mock } ] }
              - name: c
                backends:
                  - provider: openia
                    base_url: http://x
            """)
        .hasMessage(file() + "models[2].backends[0].provider: expected one of openai, anthropic, mock"
            + " but was \"openia\"");
    loading(YamlFiles.minimal("store: { kind: SQLite }"))
        .hasMessage(file() + "store.kind: expected one of memory, sqlite, postgres but was \"SQLite\"");
    loading("models: [ { name: m, backends: [ { provider: mock, capture: [token_ids, logits] } ] } ]")
        .hasMessage(file() + "models[0].backends[0].capture[1]: expected one of token_ids, logprobs"
            + " but was \"logits\"");
  }

  @Test
  void maxConnectionsOutOfRange() {
    loading("models: [ { name: m, backends: [ { provider: openai, base_url: http://127.0.0.1:1/v1,"
        + " max_connections: 0 } ] } ]")
        .hasMessage(file() + "models[0].backends[0].max_connections: expected an integer in 1..65536 but was 0");
    loading("models: [ { name: m, backends: [ { provider: openai, base_url: http://127.0.0.1:1/v1,"
        + " timeouts: { pool_wait: 0 } } ] } ]")
        .hasMessage(file() + "models[0].backends[0].timeouts.pool_wait: expected a positive duration but was 0ms");
  }

  @Test
  void badDurationsAndSizes() {
    loading("models: [ { name: m, backends: [ { provider: mock, timeouts: { idle: 10sec } } ] } ]")
        .hasMessage(file() + "models[0].backends[0].timeouts.idle: expected a duration like 250ms, 10s,"
            + " 5m, 1h, 30d or an integer of milliseconds but was a string \"10sec\"");
    loading(YamlFiles.minimal("store: { flush_interval: 0 }"))
        .hasMessage(file() + "store.flush_interval: expected a positive duration but was 0ms");
    loading(YamlFiles.minimal("store: { max_recorded_body: 0 }"))
        .hasMessage(file() + "store.max_recorded_body: expected a positive size but was 0 bytes");
    loading(YamlFiles.minimal("store: { max_recorded_body: lots }"))
        .hasMessageStartingWith(file() + "store.max_recorded_body: expected a size like 512KiB");
    loading(YamlFiles.minimal("server: { max_body_size: 32 MiBs }"))
        .hasMessage(file() + "server.max_body_size: expected a size like 512KiB, 32MiB, 1GiB, 10MB or an"
            + " integer of bytes but was a string \"32 MiBs\"");
    loading(YamlFiles.minimal("server: { max_body_size: -1 }"))
        .hasMessage(file() + "server.max_body_size: expected a positive size but was -1 bytes");
    loading(YamlFiles.minimal("server: { max_body_size: 99999999999GiB }"))
        .hasMessageStartingWith(file() + "server.max_body_size: value too large");
  }

  @Test
  void badConnectionTimeouts() {
    loading(YamlFiles.minimal("server: { header_timeout: 0 }"))
        .hasMessage(file() + "server.header_timeout: expected a positive duration but was 0ms");
    loading(YamlFiles.minimal("server: { body_timeout: soon }"))
        .hasMessageStartingWith(file() + "server.body_timeout: expected a duration like 250ms");
    loading(YamlFiles.minimal("server: { keepalive_timeout: 5s }"))
        .hasMessage(file() + "server.keepalive_timeout: unknown key; allowed keys here: host, port, max_body_size,"
            + " instances, max_api_page_size, shutdown_grace, header_timeout, body_timeout, idle_timeout,"
            + " shed_connections_above, cors_origins, allowed_hosts, insecure");
    loading(YamlFiles.minimal("server: { shed_connections_above: lots }"))
        .hasMessage(file() + "server.shed_connections_above: expected auto, off or a number of connections but was"
            + " a string \"lots\"");
    loading(YamlFiles.minimal("server: { shed_connections_above: 0 }"))
        .hasMessage(file() + "server.shed_connections_above: expected an integer in 1..2147483647 but was 0");
  }

  @Test
  void missingRequiredKeys() {
    loading("server: { port: 1 }\n").hasMessage(file() + "models: required but missing");
    loading("models: []\n").hasMessage(file() + "models: expected at least one model");
    loading("models: [ { backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].name: required but missing");
    loading("models: [ { name: m } ]").hasMessage(file() + "models[0].backends: required but missing");
    loading("models: [ { name: m, backends: [] } ]")
        .hasMessage(file() + "models[0].backends: expected at least one backend");
    loading("models: [ { name: m, backends: [ { name: x } ] } ]")
        .hasMessage(file() + "models[0].backends[0].provider: required but missing");
    loading("models: [ { name: m, backends: [ { provider: openai } ] } ]")
        .hasMessage(file() + "models[0].backends[0].base_url: required but missing");
    loading(YamlFiles.minimal("store: { kind: postgres }"))
        .hasMessage(file() + "store.url: required but missing");
  }

  @Test
  void badBaseUrl() {
    loading("models: [ { name: m, backends: [ { provider: anthropic, base_url: api.anthropic.com } ] } ]")
        .hasMessage(file() + "models[0].backends[0].base_url: expected an http(s) URL like"
            + " http://127.0.0.1:8000/v1 but was \"api.anthropic.com\"");
  }

  @Test
  void literalApiKeyIsRejectedWithoutEchoingIt() {
    loading(
            """
            models:
              - name: gpt-4o
                backends:
                  - provider: openai
                    base_url: https://api.openai.com/v1
                    api_key: sk-proj-secret123
            """)
        .hasMessageStartingWith(file() + "models[0].backends[0].api_key: expected an environment"
            + " reference like ${OPENAI_API_KEY}")
        .hasMessageContaining("secrets are read only from environment variables")
        .hasMessageNotContaining("sk-proj-secret123");
  }

  @Test
  void malformedApiKeyReference() {
    loading("models: [ { name: m, backends: [ { provider: mock, api_key: \"${KEY\" } ] } ]")
        .hasMessage(file() + "models[0].backends[0].api_key: malformed environment reference; expected"
            + " ${NAME} or ${NAME:-default} as the whole value");
  }

  @Test
  void emptyQuotedString() {
    loading("models: [ { name: \"\", backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].name: expected a non-empty string but was \"\"");
  }

  @Test
  void duplicateModelName() {
    loading(
            """
            models:
              - { name: m, backends: [ { provider: mock } ] }
              - { name: n, backends: [ { provider: mock } ] }
              - { name: m, backends: [ { provider: mock } ] }
            """)
        .hasMessage(file() + "models[2].name: duplicate model name \"m\" (already defined at"
            + " models[0].name)");
  }

  @Test
  void duplicateBackendName() {
    loading("models: [ { name: m, backends: [ { provider: mock }, { provider: mock } ] } ]")
        .hasMessageStartingWith(file() + "models[0].backends[1]: duplicate backend name \"mock\"");
  }

  @Test
  void captureOnAnthropic() {
    loading(
            """
            models:
              - name: claude
                backends:
                  - provider: anthropic
                    base_url: https://api.anthropic.com
                    capture: [logprobs]
            """)
        .hasMessage(file() + "models[0].backends[0].capture: capture is only supported for providers"
            + " openai and mock (vLLM-style token ids and logprobs) but provider is anthropic");
  }

  @Test
  void systemMessagesTakesOnePlacementAndOnlyOnTranslatingProviders() {
    loading("models: [ { name: m, backends: [ { provider: mock, system_messages: first } ] } ]")
        .hasMessage(file() + "models[0].backends[0].system_messages: expected one of keep, merge_first, as_user"
            + " but was \"first\"");
    loading(
            """
            models:
              - name: claude
                backends:
                  - provider: anthropic
                    base_url: https://api.anthropic.com
                    system_messages: keep
            """)
        .hasMessageStartingWith(file() + "models[0].backends[0].system_messages: system_messages is only for"
            + " providers openai and mock");
  }

  @Test
  void storeKeysOfAnotherKind() {
    loading(YamlFiles.minimal("store: { kind: memory, path: x.db }"))
        .hasMessage(file() + "store.path: only used with kind: sqlite (kind is memory)");
    loading(YamlFiles.minimal("store: { batch_size: 10, queue_capacity: 5 }"))
        .hasMessage(file() + "store.queue_capacity: queue_capacity (5) must be at least batch_size (10)");
  }

  @Test
  void missingPricingFile() {
    loading(YamlFiles.minimal("pricing: nowhere/prices.yaml"))
        .hasMessageStartingWith(file() + "pricing: pricing file not found: "
            + Path.of("nowhere/prices.yaml").toAbsolutePath());
  }

  @Test
  void yamlSyntaxErrorNamesTheLine() {
    loading("server:\n  port: 4000\n  host: [unclosed\nmodels: []\n")
        .hasMessage(file() + "line 4, column 7: invalid YAML: while parsing a flow sequence: expected ','"
            + " or ']', but got :");
    loading("server: { port: 1 }\nserver: { port: 2 }\n")
        .hasMessageMatching(".*tracegate\\.yaml: line 2, column \\d+: invalid YAML: Duplicate field"
            + " 'server'.*");
  }

  @Test
  void emptyFile() {
    loading("")
        .hasMessage(file() + "(top level): the file is empty; expected a mapping with at least a"
            + " 'models' list");
  }

  @Test
  void missingFileNamesThePath() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(missing + ": file not found");
  }

  @Test
  void routingKeysAreValidated() {
    loading("models: [ { name: m, strategy: random, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].strategy: expected one of fallback, round_robin, least_busy, sticky"
            + " but was \"random\"");
    loading("models: [ { name: m, retries: { max: 11 }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].retries.max: expected an integer in 0..10 but was 11");
    loading("models: [ { name: m, retries: { max: -1 }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].retries.max: expected an integer in 0..10 but was -1");
    loading("models: [ { name: m, retries: { tries: 3 }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].retries.tries: unknown key; allowed keys here: max, backoff, max_backoff");
    loading("models: [ { name: m, retries: { backoff: soon }, backends: [ { provider: mock } ] } ]")
        .hasMessageStartingWith(file() + "models[0].retries.backoff: expected a duration like 250ms");
    loading("models: [ { name: m, retries: { backoff: 2s, max_backoff: 1s }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].retries.max_backoff: max_backoff (1000ms) must be at least backoff (2000ms)");
    loading("models: [ { name: m, retries: { backoff: 20s }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].retries.backoff: max_backoff (10000ms) must be at least backoff (20000ms)");
    loading("models: [ { name: m, retries: 2, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].retries: expected a mapping (key: value) but was an integer (2)");
    loading("models: [ { name: m, health: { failures: 0 }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].health.failures: expected an integer in 1..1000 but was 0");
    loading("models: [ { name: m, health: { cooldown: 0s }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].health.cooldown: expected a positive duration but was 0ms");
    loading("models: [ { name: m, health: { window: 1m }, backends: [ { provider: mock } ] } ]")
        .hasMessage(file() + "models[0].health.window: unknown key; allowed keys here: failures, cooldown");
    loading("models: [ { name: m, backends: [ { provider: mock, weight: 0 } ] } ]")
        .hasMessage(file() + "models[0].backends[0].weight: expected an integer in 1..1000 but was 0");
    loading("models: [ { name: m, backends: [ { provider: mock, weight: 1.5 } ] } ]")
        .hasMessage(file() + "models[0].backends[0].weight: expected an integer but was a number (1.5)");
  }

  @Test
  void atMost64BackendsPerModel() {
    StringBuilder yaml = new StringBuilder("models:\n  - name: m\n    backends:\n");
    for (int i = 0; i < 65; i++) {
      yaml.append("      - { provider: mock, name: b").append(i).append(" }\n");
    }
    loading(yaml.toString())
        .hasMessage(file() + "models[0].backends: at most 64 backends per model, but there are 65");
  }
}

package io.tracegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void loadsAFullFile() {
    Path pricing = YamlFiles.write(dir, "prices.yaml", "models: {}\n");
    Path file =
        YamlFiles.write(
            dir,
            "full.yaml",
            """
            server: { host: 0.0.0.0, port: 4100, max_body_size: 512KiB, instances: 2, max_api_page_size: 2MiB,
                      shutdown_grace: 45s, header_timeout: 5s, body_timeout: 20s, idle_timeout: 90s,
                      shed_connections_above: 300 }
            store:  { kind: sqlite, path: %s/spans.db, batch_size: 64, queue_capacity: 1000, flush_interval: 1s }
            pricing: %s
            models:
              - name: claude-sonnet-4-5-20250929
                backends:
                  - provider: openai
                    name: local-vllm
                    base_url: http://127.0.0.1:8000/v1/
                    model: Qwen/Qwen3-Coder-30B-A3B-Instruct
                    api_key: ${VLLM_API_KEY:-}
                    capture: [token_ids, logprobs]
                    system_messages: merge_first
                    timeouts: { connect: 250ms, response: 5m, idle: 1h, pool_wait: 5s }
                    max_connections: 8192
                  - provider: anthropic
                    base_url: https://api.anthropic.com
                    api_key: ${ANTHROPIC_API_KEY}
              - name: gpt-*
                backends:
                  - provider: mock
            """
                .formatted(dir, pricing));

    GatewayConfig c = ConfigLoader.load(file, Map.of("ANTHROPIC_API_KEY", "sk-ant-test"));

    assertThat(c.source()).isEqualTo(file);
    assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 4100, 512 * 1024, 2, 2 * 1024 * 1024,
        Duration.ofSeconds(45), Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(90), 300));
    assertThat(c.store())
        .isEqualTo(
            new StoreConfig(StoreConfig.Kind.SQLITE, dir.resolve("spans.db").toString(), 64, 1000,
                Duration.ofSeconds(1)));
    assertThat(c.pricingFile()).isEqualTo(pricing.toAbsolutePath());
    assertThat(c.models()).hasSize(2);

    ModelConfig claude = c.models().get(0);
    assertThat(claude.name()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(claude.isGlob()).isFalse();
    BackendConfig vllm = claude.backends().get(0);
    assertThat(vllm.name()).isEqualTo("local-vllm");
    assertThat(vllm.provider()).isEqualTo(Provider.OPENAI);
    assertThat(vllm.baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
    assertThat(vllm.backendModel("x")).isEqualTo("Qwen/Qwen3-Coder-30B-A3B-Instruct");
    assertThat(vllm.apiKey()).isEqualTo(new SecretRef("VLLM_API_KEY", ""));
    assertThat(vllm.apiKey().isMissing()).isFalse();
    assertThat(vllm.apiKey().hasValue()).isFalse();
    assertThat(vllm.capture()).containsExactlyInAnyOrder(Capture.TOKEN_IDS, Capture.LOGPROBS);
    assertThat(vllm.connectTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(vllm.responseTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(vllm.idleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(vllm.systemMessages()).isEqualTo(SystemMessages.MERGE_FIRST);
    assertThat(vllm.maxConnections()).isEqualTo(8192);
    assertThat(vllm.poolWaitTimeout()).isEqualTo(Duration.ofSeconds(5));

    BackendConfig anthropic = claude.backends().get(1);
    assertThat(anthropic.name()).isEqualTo("anthropic:https://api.anthropic.com");
    assertThat(anthropic.model()).isNull();
    assertThat(anthropic.backendModel("claude-x")).isEqualTo("claude-x");
    assertThat(anthropic.apiKey().value()).isEqualTo("sk-ant-test");
    assertThat(anthropic.apiKey().toString()).doesNotContain("sk-ant-test");
    assertThat(anthropic.capture()).isEmpty();

    ModelConfig gpt = c.models().get(1);
    assertThat(gpt.isGlob()).isTrue();
    assertThat(gpt.backends().get(0).name()).isEqualTo("mock");
    assertThat(gpt.backends().get(0).baseUrl()).isNull();
  }

  @Test
  void appliesDefaultsForEveryOptionalKey() {
    Path file = YamlFiles.write(dir, "min.yaml", YamlFiles.minimal(""));

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.server()).isEqualTo(ServerConfig.defaults());
    assertThat(c.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    StoreConfig d = StoreConfig.defaults();
    assertThat(c.store().kind()).isEqualTo(StoreConfig.Kind.SQLITE);
    assertThat(c.store().path())
        .isEqualTo(Path.of(StoreConfig.DEFAULT_PATH).toAbsolutePath().toString());
    assertThat(c.store().batchSize()).isEqualTo(d.batchSize());
    assertThat(c.store().queueCapacity()).isEqualTo(d.queueCapacity());
    assertThat(c.store().flushInterval()).isEqualTo(d.flushInterval());
    assertThat(c.store().maxRecordedBody()).isEqualTo(8L << 20);
    assertThat(c.pricingFile()).isNull();
    BackendConfig b = c.models().get(0).backends().get(0);
    assertThat(b.name()).isEqualTo("mock");
    assertThat(b.model()).isNull();
    assertThat(b.apiKey()).isEqualTo(SecretRef.NONE);
    assertThat(b.capture()).isEmpty();
    assertThat(b.connectTimeout()).isEqualTo(BackendConfig.DEFAULT_CONNECT_TIMEOUT);
    assertThat(b.responseTimeout()).isEqualTo(BackendConfig.DEFAULT_RESPONSE_TIMEOUT);
    assertThat(b.idleTimeout()).isEqualTo(BackendConfig.DEFAULT_IDLE_TIMEOUT);
    assertThat(b.systemMessages()).isEqualTo(SystemMessages.KEEP);
    assertThat(b.maxConnections()).isEqualTo(BackendConfig.DEFAULT_MAX_CONNECTIONS).isEqualTo(4096);
    assertThat(b.poolWaitTimeout()).isEqualTo(BackendConfig.DEFAULT_POOL_WAIT_TIMEOUT);
    assertThat(c.pause()).isEqualTo(new PauseConfig(Duration.ofMinutes(10), Duration.ofSeconds(5)));
  }

  @Test
  void readsThePauseSection() {
    Path file = YamlFiles.write(dir, "pause.yaml", YamlFiles.minimal("pause: { hold_timeout: 90s, retry_after: 1500ms }"));

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.pause().holdTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.pause().retryAfter()).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void emptySectionsMeanDefaults() {
    Path file = YamlFiles.write(dir, "empty.yaml", YamlFiles.minimal("server:\nstore:\npricing:\npause:\n"));

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.server()).isEqualTo(ServerConfig.defaults());
    assertThat(c.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.store().kind()).isEqualTo(StoreConfig.Kind.SQLITE);
    assertThat(c.pricingFile()).isNull();
    assertThat(c.pause()).isEqualTo(PauseConfig.defaults());
  }

  @Test
  void parsesDurationAndSizeUnits() {
    Path file =
        YamlFiles.write(
            dir,
            "units.yaml",
            YamlFiles.minimal(
                "server: { max_body_size: 10MB }\n"
                    + "store: { kind: memory, flush_interval: 75, max_recorded_body: 512KiB }\n"));

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.server().maxBodyBytes()).isEqualTo(10_000_000L);
    assertThat(c.server().headerTimeout()).isEqualTo(ServerConfig.DEFAULT_HEADER_TIMEOUT);
    assertThat(ConfigLoader.load(YamlFiles.write(dir, "t.yaml", YamlFiles.minimal(
            "server: { header_timeout: 5s, body_timeout: 2m, idle_timeout: 90s }")), Map.of()).server())
        .extracting(ServerConfig::headerTimeout, ServerConfig::bodyTimeout, ServerConfig::idleTimeout)
        .containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofSeconds(90));
    assertThat(c.server().shedConnectionsAbove()).isEqualTo(ServerConfig.SHED_AUTO);
    assertThat(ConfigLoader.load(YamlFiles.write(dir, "s.yaml", YamlFiles.minimal(
            "server: { shed_connections_above: off }")), Map.of()).server().shedConnectionsAbove())
        .isEqualTo(ServerConfig.SHED_OFF);
    assertThat(ConfigLoader.load(YamlFiles.write(dir, "a.yaml", YamlFiles.minimal(
            "server: { shed_connections_above: auto }")), Map.of()).server().shedConnectionsAbove())
        .isEqualTo(ServerConfig.SHED_AUTO);
    assertThat(c.store().kind()).isEqualTo(StoreConfig.Kind.MEMORY);
    assertThat(c.store().path()).isNull();
    assertThat(c.store().flushInterval()).isEqualTo(Duration.ofMillis(75));
    assertThat(c.store().maxRecordedBody()).isEqualTo(512L * 1024);
    assertThat(c.store().recordedBodyLimit()).isEqualTo(512 * 1024);
    assertThat(
            ConfigLoader.load(
                    YamlFiles.write(dir, "g.yaml", YamlFiles.minimal("server: { max_body_size: 1GiB }")),
                    Map.of())
                .server()
                .maxBodyBytes())
        .isEqualTo(1L << 30);
  }

  @Test
  void portZeroMeansEphemeral() {
    Path file = YamlFiles.write(dir, "p.yaml", YamlFiles.minimal("server: { port: 0 }"));

    assertThat(ConfigLoader.load(file, Map.of()).server().port()).isZero();
  }

  @Test
  void loadsAPostgresStore() {
    Path file =
        YamlFiles.write(
            dir,
            "pg.yaml",
            YamlFiles.minimal(
                """
                store:
                  kind: postgres
                  url: jdbc:postgresql://${PGHOST:-127.0.0.1}:5432/tracegate
                  user: tracegate
                  password: ${PGPASSWORD}
                """));

    StoreConfig s = ConfigLoader.load(file, Map.of("PGPASSWORD", "pw")).store();

    assertThat(s.kind()).isEqualTo(StoreConfig.Kind.POSTGRES);
    assertThat(s.path()).isNull();
    assertThat(s.url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/tracegate");
    assertThat(s.user()).isEqualTo("tracegate");
    assertThat(s.password()).isEqualTo(new SecretRef("PGPASSWORD", "pw"));
  }

  @Test
  void findModelPrefersExactNamesThenGlobsInFileOrder() {
    Path file =
        YamlFiles.write(
            dir,
            "route.yaml",
            """
            models:
              - { name: "claude-*", backends: [ { provider: mock, name: a } ] }
              - { name: "claude-sonnet-*", backends: [ { provider: mock, name: b } ] }
              - { name: claude-sonnet-4-5, backends: [ { provider: mock, name: c } ] }
            """);

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    assertThat(c.findModel("claude-sonnet-4-5").orElseThrow().name()).isEqualTo("claude-sonnet-4-5");
    assertThat(c.findModel("claude-sonnet-4").orElseThrow().name()).isEqualTo("claude-*");
    assertThat(c.findModel("gpt-4o")).isEmpty();
  }

  @Test
  void readsRoutingKeys() {
    Path file = YamlFiles.write(dir, "routing.yaml", """
        models:
          - name: policy
            strategy: sticky
            retries: { max: 5, backoff: 500ms, max_backoff: 8s }
            health: { failures: 2, cooldown: 1m }
            backends:
              - { provider: mock, name: a, weight: 3 }
              - { provider: mock, name: b }
          - name: plain
            backends: [ { provider: mock } ]
          - name: no-retries
            retries: { max: 0 }
            backends: [ { provider: mock } ]
        """);

    GatewayConfig c = ConfigLoader.load(file, Map.of());

    ModelConfig policy = c.models().get(0);
    assertThat(policy.strategy()).isEqualTo(RoutingStrategy.STICKY);
    assertThat(policy.retries()).isEqualTo(new RetryConfig(5, Duration.ofMillis(500), Duration.ofSeconds(8)));
    assertThat(policy.health()).isEqualTo(new HealthConfig(2, Duration.ofMinutes(1)));
    assertThat(policy.backends()).extracting(BackendConfig::weight).containsExactly(3, 1);
    ModelConfig plain = c.models().get(1);
    assertThat(plain.strategy()).isEqualTo(RoutingStrategy.FALLBACK);
    assertThat(plain.retries()).isEqualTo(new RetryConfig(2, Duration.ofMillis(200), Duration.ofSeconds(10)));
    assertThat(plain.health()).isEqualTo(new HealthConfig(3, Duration.ofSeconds(30)));
    assertThat(c.models().get(2).retries().max()).isZero();
    assertThat(c.models().get(2).retries().backoff()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void theRoutingExampleOfTheDocsLoads() throws Exception {
    String doc = java.nio.file.Files.readString(Path.of("docs/config.md"));
    int section = doc.indexOf("### Routing and retries");
    int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
    String yaml = doc.substring(start, doc.indexOf("```", start));

    GatewayConfig c = ConfigLoader.load(YamlFiles.write(dir, "routing-doc.yaml", yaml), Map.of());

    assertThat(c.models()).extracting(ModelConfig::strategy).containsExactly(RoutingStrategy.FALLBACK,
        RoutingStrategy.ROUND_ROBIN, RoutingStrategy.LEAST_BUSY, RoutingStrategy.STICKY);
    assertThat(c.models().get(1).backends()).extracting(BackendConfig::weight).containsExactly(3, 1);
  }
}

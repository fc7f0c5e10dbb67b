package io.tracegate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads {@code conf/tracegate.yaml} into an immutable {@link GatewayConfig}, validating every key. The YAML
 * tree is walked by hand so that each error names the file and the key's path ({@link ConfigException}).
 * Unknown keys are errors. Environment references ({@code ${NAME}}, {@code ${NAME:-default}}) are expanded
 * in {@code api_key} (secrets; may stay unset), {@code base_url}, {@code store.path}, {@code store.url},
 * {@code store.password} (secret), {@code auth.admin_key} (secret; see {@link AccessKeys}) and {@code pricing}.
 * Relative paths are resolved against the working directory, not the config file's directory. See docs/config.md.
 */
public final class ConfigLoader {
  private static final List<String> TOP_KEYS = List.of("server", "store", "pricing", "models", "pause",
      "telemetry", "auth");
  private static final List<String> PAUSE_KEYS = List.of("hold_timeout", "retry_after");
  private static final List<String> SERVER_KEYS = Stream.concat(Stream.of("host", "port", "max_body_size",
      "instances", "max_api_page_size", "shutdown_grace", "header_timeout", "body_timeout", "idle_timeout",
      "shed_connections_above"), AccessKeys.SERVER_KEYS.stream()).toList();
  private static final List<String> STORE_KEYS =
      List.of("kind", "path", "batch_size", "queue_capacity", "flush_interval", "max_recorded_body", "url", "user",
          "password", "retention");
  private static final List<String> MODEL_KEYS = List.of("name", "backends", "strategy", "retries", "health");
  private static final List<String> BACKEND_KEYS =
      List.of("provider", "name", "base_url", "model", "api_key", "capture", "system_messages", "timeouts",
          "max_connections", "max_buffered_response", "weight");
  private static final List<String> TIMEOUT_KEYS = List.of("connect", "response", "idle", "pool_wait");

  private final EnvRefs env;

  private ConfigLoader(Map<String, String> env) {
    this.env = new EnvRefs(env);
  }

  /** Loads {@code file} with the process environment. */
  public static GatewayConfig load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Loads {@code file}, resolving environment references against {@code env}.
   *
   * @throws ConfigException naming the file and key path of the first problem found
   */
  public static GatewayConfig load(Path file, Map<String, String> env) {
    YamlNode root = YamlNode.read(file);
    if (root.isAbsent()) {
      throw root.error("the file is empty; expected a mapping with at least a 'models' list");
    }
    return new ConfigLoader(env).gateway(file, root.mapping(TOP_KEYS));
  }

  private GatewayConfig gateway(Path file, YamlNode root) {
    ServerConfig server = server(root.get("server"));
    StoreConfig store = store(root.get("store"));
    Path pricing = pricing(root.get("pricing"));
    List<ModelConfig> models = models(root.get("models"));
    return new GatewayConfig(file, server, store, models, pricing, pause(root.get("pause")),
        TelemetryKeys.telemetry(root.get("telemetry"), env), AccessKeys.access(root.get("server"), root.get("auth"),
        env));
  }

  private static PauseConfig pause(YamlNode n) {
    if (n.isAbsent()) {
      return PauseConfig.defaults();
    }
    n.mapping(PAUSE_KEYS);
    return new PauseConfig(Units.duration(n.get("hold_timeout"), PauseConfig.DEFAULT_HOLD_TIMEOUT),
        Units.duration(n.get("retry_after"), PauseConfig.DEFAULT_RETRY_AFTER));
  }

  private ServerConfig server(YamlNode n) {
    if (n.isAbsent()) {
      return ServerConfig.defaults();
    }
    n.mapping(SERVER_KEYS);
    return new ServerConfig(
        n.get("host").stringOr(ServerConfig.DEFAULT_HOST),
        n.get("port").intIn(0, 65_535, ServerConfig.DEFAULT_PORT),
        Units.size(n.get("max_body_size"), ServerConfig.DEFAULT_MAX_BODY_BYTES),
        n.get("instances").intIn(0, 1024, ServerConfig.DEFAULT_INSTANCES),
        Units.size(n.get("max_api_page_size"), ServerConfig.DEFAULT_MAX_API_PAGE_BYTES),
        Units.duration(n.get("shutdown_grace"), ServerConfig.DEFAULT_SHUTDOWN_GRACE),
        Units.duration(n.get("header_timeout"), ServerConfig.DEFAULT_HEADER_TIMEOUT),
        Units.duration(n.get("body_timeout"), ServerConfig.DEFAULT_BODY_TIMEOUT),
        Units.duration(n.get("idle_timeout"), ServerConfig.DEFAULT_IDLE_TIMEOUT),
        shedAbove(n.get("shed_connections_above")));
  }

  /** {@code auto} (default), {@code off}, or a number of connections. */
  private static int shedAbove(YamlNode n) {
    if (n.isAbsent()) {
      return ServerConfig.SHED_AUTO;
    }
    if (n.isFalse()) { // YAML reads a bare off as false
      return ServerConfig.SHED_OFF;
    }
    if (n.isTextual()) {
      return switch (n.string()) {
        case "auto" -> ServerConfig.SHED_AUTO;
        case "off" -> ServerConfig.SHED_OFF;
        default -> throw n.error("expected auto, off or a number of connections but was " + n.describe());
      };
    }
    if (!n.isIntegral()) {
      throw n.error("expected auto, off or a number of connections but was " + n.describe());
    }
    return n.intIn(1, Integer.MAX_VALUE, ServerConfig.SHED_AUTO);
  }

  private StoreConfig store(YamlNode n) {
    if (n.isAbsent()) {
      StoreConfig d = StoreConfig.defaults();
      return new StoreConfig(d.kind(), absolute(d.path(), n), d.batchSize(), d.queueCapacity(),
          d.flushInterval());
    }
    n.mapping(STORE_KEYS);
    StoreConfig.Kind kind =
        n.get("kind").isAbsent()
            ? StoreConfig.Kind.SQLITE
            : oneOf(n.get("kind"), StoreConfig.Kind.values(), k -> k.name().toLowerCase(Locale.ROOT));
    onlyFor(n, kind, StoreConfig.Kind.SQLITE, "path");
    onlyFor(n, kind, StoreConfig.Kind.POSTGRES, "url", "user", "password");
    int batchSize = n.get("batch_size").intIn(1, 1_000_000, StoreConfig.DEFAULT_BATCH_SIZE);
    int queueCapacity =
        n.get("queue_capacity").intIn(1, Integer.MAX_VALUE, StoreConfig.DEFAULT_QUEUE_CAPACITY);
    if (queueCapacity < batchSize) {
      throw n.get(n.get("queue_capacity").isAbsent() ? "batch_size" : "queue_capacity")
          .error("queue_capacity (" + queueCapacity + ") must be at least batch_size (" + batchSize + ")");
    }
    Duration flush = Units.duration(n.get("flush_interval"), StoreConfig.DEFAULT_FLUSH_INTERVAL);
    long maxRecorded = Units.size(n.get("max_recorded_body"), StoreConfig.DEFAULT_MAX_RECORDED_BODY);
    Duration retention = n.get("retention").isAbsent() ? null : Units.duration(n.get("retention"), null);
    if (retention != null && kind == StoreConfig.Kind.MEMORY) {
      throw n.get("retention").error("not used with kind: memory (spans are kept only while the process runs)");
    }
    return storeOf(n, kind, batchSize, queueCapacity, flush).withMaxRecordedBody(maxRecorded)
        .withRetention(retention);
  }

  private StoreConfig storeOf(YamlNode n, StoreConfig.Kind kind, int batchSize, int queueCapacity, Duration flush) {
    return switch (kind) {
      case MEMORY -> new StoreConfig(kind, null, batchSize, queueCapacity, flush);
      case SQLITE -> {
        YamlNode path = n.get("path");
        String file = path.isAbsent() ? StoreConfig.DEFAULT_PATH : env.expand(path);
        yield new StoreConfig(kind, absolute(file, path), batchSize, queueCapacity, flush);
      }
      case POSTGRES -> {
        YamlNode url = n.get("url").required();
        String jdbcUrl = env.expand(url);
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
          throw url.error("expected a JDBC URL like jdbc:postgresql://127.0.0.1:5432/tracegate but was "
              + YamlNode.quote(jdbcUrl));
        }
        yield new StoreConfig(kind, null, batchSize, queueCapacity, flush, jdbcUrl,
            n.get("user").stringOr(null), env.secret(n.get("password")));
      }
    };
  }

  private static void onlyFor(YamlNode n, StoreConfig.Kind kind, StoreConfig.Kind owner, String... keys) {
    for (String key : keys) {
      if (kind != owner && !n.get(key).isAbsent()) {
        throw n.get(key).error("only used with kind: " + owner.name().toLowerCase(Locale.ROOT)
            + " (kind is " + kind.name().toLowerCase(Locale.ROOT) + ")");
      }
    }
  }

  private Path pricing(YamlNode n) {
    if (n.isAbsent()) {
      return null;
    }
    Path file = Path.of(absolute(env.expand(n), n));
    if (!Files.isRegularFile(file)) {
      throw n.error("pricing file not found: " + file
          + " (relative paths are resolved against the working directory)");
    }
    return file;
  }

  private static String absolute(String path, YamlNode n) {
    try {
      return Path.of(path).toAbsolutePath().normalize().toString();
    } catch (InvalidPathException e) {
      throw n.error("invalid path " + YamlNode.quote(path) + ": " + e.getReason());
    }
  }

  private List<ModelConfig> models(YamlNode n) {
    List<YamlNode> items = n.required().list();
    if (items.isEmpty()) {
      throw n.error("expected at least one model");
    }
    Map<String, String> seen = new HashMap<>();
    List<ModelConfig> models = new ArrayList<>(items.size());
    for (YamlNode item : items) {
      item.required().mapping(MODEL_KEYS);
      YamlNode nameNode = item.get("name");
      String name = nameNode.string();
      String previous = seen.putIfAbsent(name, nameNode.path());
      if (previous != null) {
        throw nameNode.error(
            "duplicate model name " + YamlNode.quote(name) + " (already defined at " + previous + ")");
      }
      models.add(new ModelConfig(name, backends(item.get("backends")), RoutingKeys.strategy(item.get("strategy")),
          RoutingKeys.retries(item.get("retries")), RoutingKeys.health(item.get("health"))));
    }
    return models;
  }

  private List<BackendConfig> backends(YamlNode n) {
    List<YamlNode> items = n.required().list();
    if (items.isEmpty()) {
      throw n.error("expected at least one backend");
    }
    RoutingKeys.backendCount(n, items.size());
    Map<String, String> seen = new HashMap<>();
    List<BackendConfig> backends = new ArrayList<>(items.size());
    for (YamlNode item : items) {
      BackendConfig b = backend(item.required().mapping(BACKEND_KEYS));
      String previous = seen.putIfAbsent(b.name(), item.path());
      if (previous != null) {
        YamlNode at = item.get("name").isAbsent() ? item : item.get("name");
        throw at.error("duplicate backend name " + YamlNode.quote(b.name()) + " (already used by "
            + previous + "); give each backend a distinct name");
      }
      backends.add(b);
    }
    return backends;
  }

  private BackendConfig backend(YamlNode n) {
    Provider provider = oneOf(n.get("provider").required(), Provider.values(), Provider::id);
    YamlNode urlNode = n.get("base_url");
    String baseUrl = null;
    if (provider != Provider.MOCK || !urlNode.isAbsent()) {
      baseUrl = baseUrl(urlNode.required());
    }
    String defaultName = baseUrl == null ? provider.id() : provider.id() + ":" + baseUrl;
    Set<Capture> capture = capture(n.get("capture"), provider);
    SystemMessages systemMessages = systemMessages(n.get("system_messages"), provider);
    YamlNode t = n.get("timeouts");
    if (!t.isAbsent()) {
      t.mapping(TIMEOUT_KEYS);
    }
    return new BackendConfig(
        n.get("name").stringOr(defaultName),
        provider,
        baseUrl,
        n.get("model").stringOr(null),
        env.secret(n.get("api_key")),
        capture,
        Units.duration(t.get("connect"), BackendConfig.DEFAULT_CONNECT_TIMEOUT),
        Units.duration(t.get("response"), BackendConfig.DEFAULT_RESPONSE_TIMEOUT),
        Units.duration(t.get("idle"), BackendConfig.DEFAULT_IDLE_TIMEOUT),
        systemMessages,
        n.get("max_connections").intIn(1, BackendConfig.MAX_MAX_CONNECTIONS, BackendConfig.DEFAULT_MAX_CONNECTIONS),
        Units.duration(t.get("pool_wait"), BackendConfig.DEFAULT_POOL_WAIT_TIMEOUT),
        Units.size(n.get("max_buffered_response"), BackendConfig.DEFAULT_MAX_BUFFERED_RESPONSE),
        RoutingKeys.weight(n.get("weight")));
  }

  private static SystemMessages systemMessages(YamlNode n, Provider provider) {
    if (n.isAbsent()) {
      return SystemMessages.KEEP;
    }
    if (provider == Provider.ANTHROPIC) {
      throw n.error("system_messages is only for providers openai and mock (it says where a translation to"
          + " Chat Completions puts an Anthropic client's system entries) but provider is anthropic");
    }
    return oneOf(n, SystemMessages.values(), SystemMessages::id);
  }

  private String baseUrl(YamlNode n) {
    String url = env.expand(n).strip();
    String problem = null;
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        problem = "expected an http(s) URL like http://127.0.0.1:8000/v1";
      } else if (uri.getHost() == null) {
        problem = "expected an http(s) URL with a host, like http://127.0.0.1:8000/v1";
      } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        problem = "expected a base URL without query or fragment";
      }
    } catch (URISyntaxException e) {
      problem = "expected an http(s) URL like http://127.0.0.1:8000/v1 (" + e.getReason() + ")";
    }
    if (problem != null) {
      throw n.error(problem + " but was " + YamlNode.quote(url));
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    return url;
  }

  private static Set<Capture> capture(YamlNode n, Provider provider) {
    if (n.isAbsent()) {
      return Set.of();
    }
    List<YamlNode> items = n.list();
    if (!items.isEmpty() && provider == Provider.ANTHROPIC) {
      throw n.error("capture is only supported for providers openai and mock (vLLM-style token ids and"
          + " logprobs) but provider is anthropic");
    }
    Set<Capture> out = EnumSet.noneOf(Capture.class);
    for (YamlNode item : items) {
      out.add(oneOf(item, Capture.values(), Capture::id));
    }
    return out;
  }

  /** One of {@code values} by its lower-case id, e.g. {@code expected one of a, b but was "c"}. */
  static <E> E oneOf(YamlNode n, E[] values, Function<E, String> id) {
    String expected = Stream.of(values).map(id).collect(Collectors.joining(", "));
    if (n.isTextual()) {
      String text = n.string();
      for (E v : values) {
        if (id.apply(v).equals(text)) {
          return v;
        }
      }
    }
    throw n.error("expected one of " + expected + " but was " + describeScalar(n));
  }

  private static String describeScalar(YamlNode n) {
    return n.isTextual() ? YamlNode.quote(n.string()) : n.describe();
  }
}

package io.tracegate.cli;

import io.tracegate.config.ConfigLoader;
import io.tracegate.config.GatewayConfig;
import io.tracegate.server.Gateway;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tracegate serve}: runs the gateway until SIGINT/SIGTERM, then flushes every accepted span. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", defaultValue = "conf/tracegate.yaml", description = "Config file (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--port", description = "Listen on this port instead of the config's server.port.")
  Integer port;

  @Option(names = "--insecure", description = "Start on a non-loopback server.host without an admin key"
      + " (as server.insecure: true); anyone who reaches the port can then use the API and the proxy.")
  boolean insecure;

  @Override
  public Integer call() throws Exception {
    GatewayConfig cfg = ConfigLoader.load(config);
    if (port != null) {
      cfg = cfg.withPort(port);
    }
    if (insecure) {
      cfg = cfg.withAccess(cfg.access().withInsecure(true));
    }
    Gateway gateway = Gateway.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.err.println("tracegate: shutting down, writing accepted spans ...");
      gateway.close();
      var stats = gateway.services().writer().stats();
      // plain stderr: java.util.logging may already be reset by its own shutdown hook at this point
      System.err.println("tracegate stopped: requests answered " + gateway.services().metrics().answered()
          + ", spans accepted " + stats.accepted() + ", persisted "
          + stats.persisted() + ", failed " + stats.failed() + ", dropped " + stats.dropped()
          + gateway.otlpSummary());
      stopped.countDown();
    }, "tracegate-shutdown"));
    System.err.println("tracegate ready on " + gateway.baseUrl() + "  (OpenAI: " + gateway.baseUrl()
        + "/v1, spans: " + gateway.baseUrl() + "/api/spans)");
    stopped.await();
    return 0;
  }
}

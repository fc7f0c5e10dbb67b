package io.tracegate.telemetry.grpc;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSender;
import io.opentelemetry.sdk.common.export.GrpcSenderConfig;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import java.util.List;

/**
 * OTLP/gRPC transport for the OpenTelemetry SDK's {@code OtlpGrpcSpanExporter}, over Vert.x's HTTP/2 client
 * (the SDK ships gRPC senders only on OkHttp or grpc-java, both kept off tracegate's classpath). Registered in
 * {@code META-INF/services}; {@link #componentLoader()} hands it to an exporter builder explicitly.
 */
public final class VertxGrpcSenderProvider implements GrpcSenderProvider {
  @Override
  public GrpcSender createSender(GrpcSenderConfig config) {
    return new VertxGrpcSender(config);
  }

  /**
   * For {@code OtlpGrpcSpanExporterBuilder.setComponentLoader}: this provider for the gRPC sender, the class
   * path for everything else the SDK loads (compressors).
   */
  public static ComponentLoader componentLoader() {
    ComponentLoader classPath = ComponentLoader.forClassLoader(VertxGrpcSenderProvider.class.getClassLoader());
    return new ComponentLoader() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> Iterable<T> load(Class<T> type) {
        if (type == GrpcSenderProvider.class) {
          return (Iterable<T>) List.of(new VertxGrpcSenderProvider());
        }
        return classPath.load(type);
      }
    };
  }
}

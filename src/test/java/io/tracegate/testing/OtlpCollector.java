package io.tracegate.testing;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** An in-test OTLP collector on 127.0.0.1 (OTLP/HTTP: {@link OtlpReceiver}; OTLP/gRPC: {@link OtlpGrpcReceiver}). */
public interface OtlpCollector extends AutoCloseable {
  /** The endpoint as written in {@code telemetry.otlp.endpoint}. */
  String endpoint();

  /** Every span received so far, in order of arrival. */
  List<OtlpReceiver.Received> spans();

  /** Waits (up to 20 s) until {@code count} spans arrived; returns all received so far. */
  default List<OtlpReceiver.Received> awaitSpans(int count) throws InterruptedException {
    return await(count, r -> true);
  }

  /** Waits (up to 20 s) until {@code count} spans matching {@code which} arrived; returns those. */
  default List<OtlpReceiver.Received> await(int count, Predicate<OtlpReceiver.Received> which)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      List<OtlpReceiver.Received> all = spans();
      List<OtlpReceiver.Received> matching = all.stream().filter(which).collect(Collectors.toList());
      if (matching.size() >= count) {
        return matching;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " exported spans, received " + matching.size() + " of "
            + all.size());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}

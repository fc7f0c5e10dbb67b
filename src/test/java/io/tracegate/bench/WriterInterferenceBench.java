package io.tracegate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracegate.store.BatchingSpanWriter;
import io.tracegate.store.WriterStats;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.trace.EpochClock;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long the span writer holds up an event loop on the same core (bench/writer-interference.sh runs it
 * pinned to one CPU; not a JUnit test). A stand-in event loop ticks RATE times a second: it wakes at the
 * intended time, spins WORK_US of CPU (a request's handling) and submits a span to a
 * {@link BatchingSpanWriter} over a real {@link SqliteSpanStore}, whose supplier parses a harness-sized
 * request and response as the recorder does. Printed: how late the ticks woke (from their intended time)
 * after a warm-up, and the writer's counters. A tick is late when something else held the core: the
 * writer's batches, GC, the JIT, or the hypervisor (CPU steal, which no change here can remove).
 *
 * <p>Arguments (optional): rate per second (1000), seconds (30, the first third is warm-up), work per tick
 * in microseconds (50), store file (a temporary one).
 */
public final class WriterInterferenceBench {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WriterInterferenceBench() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    long workNanos = TimeUnit.MICROSECONDS.toNanos(args.length > 2 ? Long.parseLong(args[2]) : 50);
    Path file = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("tracegate-interference")
        .resolve("spans.db");
    byte[] request = requestBody();
    byte[] response = responseBody();

    long[] late;
    WriterStats stats;
    try (SqliteSpanStore store = SqliteSpanStore.open(file);
        BatchingSpanWriter writer = BatchingSpanWriter.start(store, 512, 100_000, Duration.ofMillis(50))) {
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      int ticks = rate * seconds;
      int warmup = ticks / 3;
      late = new long[ticks - warmup];
      long start = System.nanoTime();
      for (int i = 0; i < ticks; i++) {
        long due = start + i * period;
        long now = waitUntil(due);
        if (i >= warmup) {
          late[i - warmup] = now - due;
        }
        spin(now + workNanos);
        long id = i;
        writer.submit(() -> span(id, request, response));
      }
      writer.flush().join();
      stats = writer.stats();
    }
    Arrays.sort(late);
    System.out.printf("%d ticks/s, %d us work each, %d s (first third not counted)%n", rate,
        TimeUnit.NANOSECONDS.toMicros(workNanos), seconds);
    System.out.printf("tick lateness (us): p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n", micros(late, 0.50),
        micros(late, 0.90), micros(late, 0.99), micros(late, 0.999), late[late.length - 1] / 1000);
    System.out.println("writer: " + stats);
  }

  private static long waitUntil(long due) {
    long now;
    while ((now = System.nanoTime()) < due) {
      long left = due - now;
      if (left > 20_000) {
        LockSupport.parkNanos(left - 10_000);
      }
    }
    return now;
  }

  private static void spin(long until) {
    while (System.nanoTime() < until) {
      Thread.onSpinWait();
    }
  }

  private static long micros(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1000;
  }

  private static Span span(long id, byte[] request, byte[] response) {
    try {
      JsonNode req = JSON.readTree(request);
      JsonNode resp = JSON.readTree(response);
      long now = EpochClock.nowUnixNano();
      return new Span(String.format("%016x", id), String.format("%032x", id), null, null, null, null, "llm",
          "chat gpt-4o-mini", now - 200_000, now, null, "ok", null, "openai", "gpt-4o-mini", "openai", "mock",
          "gpt-4o-mini", new Usage(457L, 48L, 0L, null, null, null, 0L), 0.0001, req, resp, null, null, null,
          null, Map.of("tracegate.endpoint", "/v1/chat/completions"));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A chat request of the referee harness's size (~1.8 KB: a system prompt and a few turns). */
  private static byte[] requestBody() throws Exception {
    var body = JSON.createObjectNode().put("model", "gpt-4o-mini").put("max_tokens", 256).put("temperature", 0.2);
    var messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a careful assistant. ".repeat(12));
    for (int turn = 0; turn < 4; turn++) {
      messages.addObject().put("role", "user").put("content", "Question " + turn + ": " + "why is it so? ".repeat(20));
      messages.addObject().put("role", "assistant").put("content", "Because of reasons. ".repeat(10));
    }
    return JSON.writeValueAsBytes(body);
  }

  private static byte[] responseBody() {
    return ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + "lorem ipsum dolor sit amet ".repeat(12) + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":457,\"completion_tokens\":48,\"total_tokens\":505}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}

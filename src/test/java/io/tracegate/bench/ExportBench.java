package io.tracegate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.tracegate.dataset.AdapterOptions;
import io.tracegate.dataset.DatasetExporter;
import io.tracegate.dataset.DatasetWriter;
import io.tracegate.dataset.ExportFilter;
import io.tracegate.dataset.ExportSummary;
import io.tracegate.dataset.JsonlDatasetWriter;
import io.tracegate.dataset.ParquetDatasetWriter;
import io.tracegate.dataset.RewardSpans;
import io.tracegate.dataset.Triplet;
import io.tracegate.store.sqlite.SqliteSpanStore;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Dataset export throughput and memory (bench/export.sh runs it; not a JUnit test).
 *
 * <p>Generates (once; kept by path unless {@code --regenerate}) two SQLite stores through
 * {@link SqliteSpanStore#append}, one large transaction per batch of rollouts: ROLLOUTS rollouts and ROLLOUTS/10
 * rollouts, each of TURNS LLM calls shaped like an agent loop (turn k's prompt is turn k-1's prompt + response +
 * ~300 fresh ids, the first prompt ~1,000 ids, responses ~150 ids with float32-exact logprobs, OpenAI chat
 * request / upstream request / response JSON with a unique response id) and 1-2 reward spans whose sequence ids
 * interleave with the calls' as the gateway assigns them. Then, for each store and for JSONL and Parquet, runs
 * {@link DatasetExporter} (matched rewards, latest attempt) in a FRESH child JVM with a small heap
 * ({@code -Xmx256m} unless {@code -Dbench.xmx=...}) and reports triplets, seconds, triplets/s, output size, the
 * peak heap (sum of the heap pools' peak usage, reset just before the export; and the total heap sampled every
 * 5 ms), the largest heap left after any GC during the export and the heap after a final GC.
 *
 * <p>Arguments (optional): rollouts (10000), turns (10), directory (target/export-bench), {@code --regenerate}.
 * Extra child JVM options: {@code -Dbench.childOpts="..."} (e.g. a JFR recording).
 */
public final class ExportBench {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long T0 = 1_750_000_000_000_000_000L;
  private static final int FIRST_PROMPT = 1000;
  private static final int FRESH = 300;
  private static final int RESPONSE = 150;
  /** Rollouts per append (one transaction). */
  private static final int BATCH_ROLLOUTS = 50;
  private static final String[] WORDS = ("the a file test function error value return import class def self"
      + " result list path open read write assert fix bug line code run pass fail module call args config"
      + " update check output input data index string number true false none patch diff").split(" ");

  private ExportBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--export-child")) {
      exportChild(Path.of(args[1]), args[2], Path.of(args[3]));
      return;
    }
    List<String> positional = new ArrayList<>();
    boolean regenerate = false;
    for (String a : args) {
      if (a.equals("--regenerate")) {
        regenerate = true;
      } else {
        positional.add(a);
      }
    }
    int rollouts = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 10_000;
    int turns = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 10;
    Path dir = Path.of(positional.size() > 2 ? positional.get(2) : "target/export-bench");
    String xmx = System.getProperty("bench.xmx", "256m");
    Files.createDirectories(dir);

    int[] sizes = rollouts >= 10 ? new int[] {rollouts / 10, rollouts} : new int[] {rollouts};
    List<StoreInfo> stores = new ArrayList<>();
    for (int n : sizes) {
      stores.add(ensureStore(dir, n, turns, regenerate));
    }
    List<Result> results = new ArrayList<>();
    for (StoreInfo store : stores) {
      for (String format : List.of("jsonl", "parquet")) {
        Path out = dir.resolve("export-" + store.rollouts + "x" + turns + "." + format);
        Result r = runChild(store, format, out, xmx);
        results.add(r);
        Files.deleteIfExists(out);
      }
    }

    System.out.println();
    System.out.println("=== export benchmark: " + Runtime.getRuntime().availableProcessors() + " cores, "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + " ===");
    for (StoreInfo s : stores) {
      System.out.printf(Locale.ROOT, "store %,d rollouts x %d turns: %,d llm + %,d reward spans, %,d bytes"
          + " (%.1f MiB), %s%n", s.rollouts, turns, s.llmSpans, s.rewardSpans, s.bytes, s.bytes / 1048576.0,
          s.generatedSeconds < 0 ? "reused (--regenerate to rebuild)"
              : String.format(Locale.ROOT, "generated in %.1f s (%,.0f spans/s)", s.generatedSeconds,
                  (s.llmSpans + s.rewardSpans) / s.generatedSeconds));
    }
    System.out.printf("export: DatasetExporter, reward mode matched, attempt latest; child JVM -Xmx%s (%s)%n", xmx,
        results.isEmpty() ? "?" : results.get(0).gc);
    System.out.printf("%-8s %-8s %9s %6s %8s %11s %9s %12s %12s %12s %12s%n", "rollouts", "format", "triplets",
        "reward", "seconds", "triplets/s", "out MiB", "pool peaks", "sampled peak", "max after GC", "after final");
    for (Result r : results) {
      System.out.printf(Locale.ROOT, "%-8s %-8s %,9d %,6d %8.1f %,11.0f %9.1f %8.1f MiB %8.1f MiB %8.1f MiB %8.1f MiB%n",
          String.format("%,d", r.rollouts), r.format, r.triplets, r.rewarded, r.seconds, r.triplets / r.seconds,
          r.outBytes / 1048576.0, r.peakHeap / 1048576.0, r.sampledPeak / 1048576.0, r.maxAfterGc / 1048576.0,
          r.heapAfterGc / 1048576.0);
    }
    System.out.println("pool peaks = sum of the heap pools' peak usage (reset before the export); an upper bound,"
        + " pools peak at different times, and mostly young-gen sizing");
    System.out.println("sampled peak = largest total heap used, sampled every 5 ms; max after GC = largest heap left"
        + " after any GC during the export (live set + old garbage); after final = heap after System.gc() at the end");
    System.out.println("files: " + dir);
  }

  // ---------------------------------------------------------------- generation

  private record StoreInfo(Path file, int rollouts, long llmSpans, long rewardSpans, long bytes,
      double generatedSeconds) {}

  private static StoreInfo ensureStore(Path dir, int rollouts, int turns, boolean regenerate) throws Exception {
    Path file = dir.resolve("store-" + rollouts + "x" + turns + ".db");
    double seconds = -1;
    if (regenerate || !Files.isRegularFile(file)) {
      for (String suffix : List.of("", "-wal", "-shm")) {
        Files.deleteIfExists(Path.of(file + suffix));
      }
      System.out.printf("generating %s: %,d rollouts x %d turns ...%n", file, rollouts, turns);
      long start = System.nanoTime();
      generate(file, rollouts, turns);
      seconds = (System.nanoTime() - start) / 1e9;
    }
    long llm;
    long rewards;
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT SUM(kind = 'llm'), SUM(kind = 'reward') FROM spans")) {
      rs.next();
      llm = rs.getLong(1);
      rewards = rs.getLong(2);
    }
    return new StoreInfo(file, rollouts, llm, rewards, Files.size(file), seconds);
  }

  private static void generate(Path file, int rollouts, int turns) {
    try (SqliteSpanStore store = SqliteSpanStore.open(file)) {
      List<Span> batch = new ArrayList<>();
      for (int r = 0; r < rollouts; r++) {
        rollout(r, turns, batch);
        if ((r + 1) % BATCH_ROLLOUTS == 0 || r == rollouts - 1) {
          store.append(batch);
          batch.clear();
        }
        if ((r + 1) % 1000 == 0) {
          System.out.printf("  %,d rollouts%n", r + 1);
        }
      }
    }
  }

  /** One rollout's spans in sequence order: calls, a mid-rollout reward for half of them, a final reward. */
  private static void rollout(int r, int turns, List<Span> out) {
    Random random = new Random(mix(0x5eed_0000L + r));
    String rolloutId = String.format("ro-%06d", r);
    String attemptId = "at-" + rolloutId.substring(3) + "-1";
    String traceId = String.format("%016x%016x", mix(r), mix(~r));
    long start = T0 + r * 2_000_000_000L;
    long seq = 0;
    boolean midReward = random.nextBoolean();
    int[] context = new int[0];
    String previousAnswer = null;
    String previousTool = null;
    String task = words(random, 40);
    for (int k = 1; k <= turns; k++) {
      int fresh = k == 1 ? around(random, FIRST_PROMPT) : around(random, FRESH);
      int[] prompt = Arrays.copyOf(context, context.length + fresh);
      for (int i = context.length; i < prompt.length; i++) {
        prompt[i] = random.nextInt(150_000);
      }
      int n = around(random, RESPONSE);
      int[] response = random.ints(n, 0, 150_000).toArray();
      double[] logprobs = new double[n];
      for (int i = 0; i < n; i++) {
        logprobs[i] = -random.nextFloat() * 6f;
      }
      String answer = words(random, n * 4 / 5);
      String tool = words(random, fresh / 4);
      long t = start + (k - 1) * 3_000_000_000L;
      long spanNo = (long) r * 64 + k;
      String spanId = String.format("%016x", mix(spanNo));
      seq++;
      out.add(new Span(spanId, traceId, null, rolloutId, attemptId, seq, Span.KIND_LLM, "chat agent", t,
          t + 2_500_000_000L, t + 150_000_000L, Span.STATUS_OK, null, "openai", "agent", "openai", "vllm",
          "Qwen/Qwen3-8B", new Usage((long) prompt.length, (long) n, null, null, null, null, null), null,
          request(task, previousAnswer, previousTool, false), response(spanNo, t, answer, prompt.length, n),
          request(task, previousAnswer, previousTool, true), prompt, response, logprobs, Map.of()));
      context = Arrays.copyOf(prompt, prompt.length + n);
      System.arraycopy(response, 0, context, prompt.length, n);
      previousAnswer = answer;
      previousTool = tool;
      if (midReward && k == turns / 2 && k < turns) {
        seq++;
        out.add(RewardSpans.reward(rolloutId, attemptId, seq, null, random.nextInt(2) * 0.5, null,
            t + 2_600_000_000L));
      }
    }
    seq++;
    out.add(RewardSpans.reward(rolloutId, attemptId, seq, null, random.nextInt(2), null,
        start + turns * 3_000_000_000L));
  }

  /** OpenAI chat request: system, task, the previous answer and tool output (the upstream one with capture). */
  private static JsonNode request(String task, String previousAnswer, String previousTool, boolean upstream) {
    ObjectNode req = NODES.objectNode();
    req.put("model", upstream ? "Qwen/Qwen3-8B" : "agent");
    ArrayNode messages = req.putArray("messages");
    messages.addObject().put("role", "system").put("content", "You are a coding agent. Use the tools to solve"
        + " the task, then answer with a short summary.");
    messages.addObject().put("role", "user").put("content", task);
    if (previousAnswer != null) {
      messages.addObject().put("role", "assistant").put("content", previousAnswer);
      messages.addObject().put("role", "tool").put("tool_call_id", "call_1").put("content", previousTool);
    }
    req.put("temperature", 0.7);
    req.put("max_tokens", 1024);
    if (upstream) {
      req.put("return_token_ids", true);
      req.put("logprobs", true);
    }
    return req;
  }

  private static JsonNode response(long spanNo, long t, String answer, int promptTokens, int completionTokens) {
    ObjectNode resp = NODES.objectNode();
    resp.put("id", String.format("chatcmpl-%016x", mix(spanNo ^ 0x5a5a5a5aL)));
    resp.put("object", "chat.completion");
    resp.put("created", t / 1_000_000_000L);
    resp.put("model", "Qwen/Qwen3-8B");
    ObjectNode choice = resp.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", answer);
    choice.put("finish_reason", "stop");
    resp.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return resp;
  }

  private static String words(Random random, int count) {
    StringBuilder sb = new StringBuilder(count * 6);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return sb.toString();
  }

  /** {@code mean} +- 20%. */
  private static int around(Random random, int mean) {
    int spread = mean / 5;
    return mean - spread + random.nextInt(2 * spread + 1);
  }

  private static long mix(long z) {
    z = (z + 0x9e3779b97f4a7c15L) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  // ---------------------------------------------------------------- export in a child JVM

  private record Result(int rollouts, String format, long triplets, long rewarded, double seconds, long outBytes,
      long peakHeap, long sampledPeak, long maxAfterGc, long heapAfterGc, String gc) {}

  private static Result runChild(StoreInfo store, String format, Path out, String xmx) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + xmx);
    String extra = System.getProperty("bench.childOpts", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(Arrays.asList(extra.replace("{name}", store.rollouts + "-" + format).split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ExportBench.class.getName(), "--export-child",
        store.file.toString(), format, out.toString()));
    System.out.printf("exporting %s -> %s (-Xmx%s) ...%n", store.file, format, xmx);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Map<String, String> kv = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          for (String part : line.substring(7).split(" ")) {
            int eq = part.indexOf('=');
            kv.put(part.substring(0, eq), part.substring(eq + 1));
          }
        } else {
          System.out.println("  | " + line);
        }
      }
    }
    int code = p.waitFor();
    if (code != 0 || kv.isEmpty()) {
      throw new IllegalStateException("export child failed (exit " + code + ") for " + store.file + " " + format);
    }
    return new Result(store.rollouts, format, Long.parseLong(kv.get("triplets")), Long.parseLong(kv.get("rewarded")),
        Double.parseDouble(kv.get("seconds")), Long.parseLong(kv.get("out_bytes")), Long.parseLong(kv.get("peak_heap")),
        Long.parseLong(kv.get("sampled_peak")), Long.parseLong(kv.get("max_after_gc")), Long.parseLong(kv.get("heap_after_gc")), kv.get("gc"));
  }

  /** Runs in the child JVM: one export, measured. */
  private static void exportChild(Path storeFile, String format, Path out) throws Exception {
    List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    AtomicLong maxAfterGc = new AtomicLong();
    List<String> gcNames = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcNames.add(gc.getName().replace(' ', '_'));
      ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
        if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        GarbageCollectionNotificationInfo info =
            GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools) {
          MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
          if (u != null) {
            used += u.getUsed();
          }
        }
        maxAfterGc.accumulateAndGet(used, Math::max);
      }, null, null);
    }

    try (SqliteSpanStore store = SqliteSpanStore.openReadOnly(storeFile)) {
      System.gc();
      maxAfterGc.set(0);
      heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
      AtomicLong sampledPeak = new AtomicLong();
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          sampledPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
      long start = System.nanoTime();
      ExportSummary summary;
      long[] rewarded = new long[1];
      try (DatasetWriter inner = format.equals("parquet") ? ParquetDatasetWriter.create(out)
          : JsonlDatasetWriter.create(out)) {
        DatasetWriter writer = new DatasetWriter() {
          @Override
          public void write(Triplet triplet) throws IOException {
            if (triplet.reward() != null) {
              rewarded[0]++;
            }
            inner.write(triplet);
          }

          @Override
          public long count() {
            return inner.count();
          }

          @Override
          public void close() throws IOException {
            inner.close();
          }
        };
        summary = new DatasetExporter(store, AdapterOptions.DEFAULT).export(ExportFilter.LATEST_ATTEMPTS, writer,
            null);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      sampler.interrupt();
      sampler.join();
      long peak = 0;
      for (MemoryPoolMXBean pool : heapPools) {
        peak += pool.getPeakUsage().getUsed();
      }
      System.gc();
      Thread.sleep(200); // let the GC notifications of the export arrive
      long afterGc = 0;
      for (MemoryPoolMXBean pool : heapPools) {
        afterGc += pool.getUsage().getUsed();
      }
      if (!summary.skipped().isEmpty()) {
        System.out.println("skipped: " + summary.skipped());
      }
      System.out.printf(Locale.ROOT, "RESULT triplets=%d rewarded=%d seconds=%.3f out_bytes=%d peak_heap=%d"
          + " sampled_peak=%d max_after_gc=%d heap_after_gc=%d gc=%s%n", summary.triplets(), rewarded[0], seconds,
          Files.size(out), peak, sampledPeak.get(), maxAfterGc.get(), afterGc, String.join("+", gcNames));
    }
  }
}

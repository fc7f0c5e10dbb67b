package io.tracegate.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tracegate.trace.Span;
import io.tracegate.trace.Usage;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Token and cost counters by frontend {@code model}: {@code tracegate_tokens_total{model,type}} with type
 * {@code input} (cached tokens included, as in the OpenTelemetry GenAI conventions), {@code cache_read},
 * {@code cache_write}, {@code output} and {@code reasoning}, and {@code tracegate_cost_usd_total{model}} (calls with
 * a known price only). Fed from built spans on the span writer's thread, so the event loop never parses usage.
 * Thread-safe.
 */
public final class UsageMeters {
  private static final String[] TYPES = {"input", "cache_read", "cache_write", "output", "reasoning"};

  private final MeterRegistry registry;
  private final ModelLabels models;
  private final AtomicReferenceArray<Counter[]> slots;

  UsageMeters(MeterRegistry registry, ModelLabels models) {
    this.registry = registry;
    this.models = models;
    this.slots = new AtomicReferenceArray<>(models.size());
  }

  /** Counts an LLM call's usage and cost; other spans (rewards, annotations) carry none. */
  public void record(Span span) {
    if (span == null || !Span.KIND_LLM.equals(span.kind())) {
      return;
    }
    Usage u = span.usage();
    if (u == null && span.costUsd() == null) {
      return;
    }
    Counter[] c = counters(models.indexOf(span.frontendModel()));
    if (u != null) {
      add(c[0], u.inputTokens());
      add(c[1], u.cacheReadInputTokens());
      add(c[2], u.cacheCreationInputTokens());
      add(c[3], u.outputTokens());
      add(c[4], u.reasoningTokens());
    }
    if (span.costUsd() != null) {
      c[5].increment(span.costUsd().doubleValue());
    }
  }

  private static void add(Counter c, Number n) {
    if (n != null && n.longValue() > 0) {
      c.increment(n.doubleValue());
    }
  }

  private Counter[] counters(int model) {
    Counter[] c = slots.get(model);
    if (c == null) {
      String label = models.label(model);
      c = new Counter[TYPES.length + 1];
      for (int t = 0; t < TYPES.length; t++) {
        c[t] = Counter.builder("tracegate.tokens").description("Tokens of proxied LLM calls, by type.")
            .tags("model", label, "type", TYPES[t]).register(registry);
      }
      c[TYPES.length] = Counter.builder("tracegate.cost.usd")
          .description("Cost in US dollars of proxied LLM calls whose price is known (conf/pricing.yaml).")
          .tag("model", label).register(registry);
      slots.set(model, c);
    }
    return c;
  }
}

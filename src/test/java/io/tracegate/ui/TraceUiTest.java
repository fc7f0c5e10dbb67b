package io.tracegate.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.Capture;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.ScriptedAnswer;
import io.tracegate.testing.ScriptedUpstream;
import io.tracegate.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The trace UI in a real browser (one Chromium for the class) against a gateway on a SQLite file with recorded
 * traffic: a rollout of policy calls (token ids and logprobs captured) with rewards, an OpenAI tool loop, an
 * Anthropic call translated to an OpenAI-compatible backend. Each test loads a view, checks the rendered text,
 * clicks through, saves a screenshot under target/ui-screenshots/ and checks the console has no errors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceUiTest {
  @TempDir static Path dir;
  static ScriptedUpstream upstream;
  static TestGateway gw;
  static Browser browser;

  @BeforeAll
  static void record() throws Exception {
    upstream = new ScriptedUpstream();
    io.tracegate.config.GatewayConfig c = TestGateway.config(StoreConfig.sqlite(dir.resolve("ui.db").toString()),
        1 << 20, Map.of(
        "policy", TestGateway.mock(Set.of(Capture.TOKEN_IDS, Capture.LOGPROBS)),
        "tools", TestGateway.openAi(upstream.openAiBaseUrl(), "gpt-tools"),
        "claude-x", TestGateway.openAi(upstream.openAiBaseUrl(), "qwen-coder")));
    // prices (USD per million tokens) for the scripted backends, so costs show
    Path pricing = java.nio.file.Files.writeString(dir.resolve("pricing.yaml"), String.join("\n", "models:",
        "  gpt-tools: { input: 3.0, output: 15.0, cache_read: 0.3 }",
        "  qwen-coder: { input: 1.0, output: 2.0 }", ""));
    gw = TestGateway.start(new io.tracegate.config.GatewayConfig(c.source(), c.server(), c.store(), c.models(),
        pricing, c.pause(), c.telemetry()));
    // rl-7: calls at sequence ids 1, 2, 4; rewards 0.5 at 3 and 1.0 at 5
    ok(gw.post("/rollout/rl-7/attempt/1/v1/chat/completions", policy("first step")));
    ok(gw.post("/rollout/rl-7/attempt/1/v1/chat/completions", policy("second step")));
    created(gw.post("/api/rollouts/rl-7/rewards", "{\"value\":0.5}"));
    ok(gw.post("/rollout/rl-7/attempt/1/v1/chat/completions", policy("third step")));
    created(gw.post("/api/rollouts/rl-7/rewards", "{\"value\":1.0}"));
    // agent-loop: an OpenAI tool loop (tool call, then the tool's result and the final answer), tagged
    upstream.script(ScriptedAnswer.oneToolCall());
    ok(gw.post("/rollout/agent-loop/attempt/1/v1/chat/completions", TOOL_TURN_1, "x-tracegate-tags", "task=weather"));
    upstream.script(new ScriptedAnswer("final", List.of(new ScriptedAnswer.Text("It is 18 degrees and sunny in Paris.")),
        ScriptedAnswer.Stop.END, 210, 12, 128));
    ok(gw.post("/rollout/agent-loop/attempt/1/v1/chat/completions", TOOL_TURN_2));
    // translated: an Anthropic client, an OpenAI-compatible backend
    upstream.script(ScriptedAnswer.textThenToolCall());
    ok(gw.post("/rollout/translated/attempt/1/v1/messages", ANTHROPIC_CALL, "anthropic-version", "2023-06-01"));
    gw.awaitSpans("translated", 1);
    gw.awaitSpans("agent-loop", 2);
    gw.awaitSpans("rl-7", 5);
    browser = Browser.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      gw.close();
      upstream.close();
    }
  }

  @AfterEach
  void noConsoleErrors() {
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }

  static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"description\":\"Current weather\",\"parameters\":{\"type\":\"object\",\"properties\":"
      + "{\"city\":{\"type\":\"string\"}}}}}]";
  static final String TOOL_TURN_1 = "{\"model\":\"tools\",\"tools\":" + TOOLS + ",\"messages\":["
      + "{\"role\":\"system\",\"content\":\"You are a weather bot.\"},"
      + "{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}]}";
  static final String TOOL_TURN_2 = "{\"model\":\"tools\",\"tools\":" + TOOLS + ",\"messages\":["
      + "{\"role\":\"system\",\"content\":\"You are a weather bot.\"},"
      + "{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"},"
      + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_weather_1\",\"type\":\"function\","
      + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\",\\\"unit\\\":\\\"celsius\\\"}\"}}]},"
      + "{\"role\":\"tool\",\"tool_call_id\":\"call_weather_1\",\"content\":\"18 degrees, sunny\"}]}";
  static final String ANTHROPIC_CALL = "{\"model\":\"claude-x\",\"max_tokens\":200,\"system\":\"Be brief.\","
      + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Plan a trip to Tokyo\"}]}]}";

  static String policy(String text) {
    return "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}],\"max_tokens\":6}";
  }

  static void ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  static void created(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private static WebElement row(String rolloutId) {
    return browser.find(By.cssSelector("tr.rollout-row[data-rollout='" + rolloutId + "']"));
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void rolloutsListShowsColumnsFiltersAndUpdatesLive() throws Exception {
    browser.open(gw.url("/ui/"));
    WebElement rl7 = row("rl-7");
    List<String> cells = rl7.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(cells.get(0)).contains("rl-7").contains("policy");
    assertThat(cells.get(1)).isEqualTo("1"); // attempts
    assertThat(cells.get(2)).isEqualTo("3"); // calls
    assertThat(cells.get(6)).isEqualTo("1"); // reward: the last one, 1.0
    assertThat(cells.get(8)).isEqualTo("ok");
    List<String> agent = row("agent-loop").findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(agent.get(2)).isEqualTo("2");
    assertThat(agent.get(4)).isEqualTo(String.format("%.1f%%", 100.0 * (64 + 128) / (120 + 210))); // cache hit rate
    assertThat(agent.get(6)).isEqualTo("–"); // no reward: never a made-up 0
    double cost = gw.spans("agent-loop").stream().mapToDouble(sp -> sp.costUsd()).sum();
    assertThat(agent.get(5)).startsWith("$");
    assertThat(Double.parseDouble(agent.get(5).substring(1))).isCloseTo(cost, org.assertj.core.data.Percentage
        .withPercentage(1));
    assertThat(cells.get(5)).isEqualTo("–"); // the mock has no price: no made-up cost either
    // newest first: the translated call was recorded last
    assertThat(browser.find(By.cssSelector("tr.rollout-row")).getAttribute("data-rollout")).isEqualTo("translated");
    browser.awaitText(By.cssSelector(".page-info"), "1–3 of 3");

    // live: a call in a new rollout appears without a reload
    ok(gw.post("/rollout/late-arrival/attempt/1/v1/chat/completions", policy("late")));
    row("late-arrival");
    browser.screenshot("rollouts");

    // filters: tag, then status and model (the form writes them into the URL, the gateway filters)
    filter("tag", "task=weather");
    browser.awaitText(By.cssSelector(".page-info"), "1–1 of 1");
    assertThat(browser.driver().findElements(By.cssSelector("tr.rollout-row"))).hasSize(1);
    row("agent-loop");
    browser.open(gw.url("/ui/#/rollouts?model=claude-x"));
    browser.awaitText(By.cssSelector(".page-info"), "1–1 of 1");
    row("translated");
    browser.open(gw.url("/ui/#/rollouts?status=error"));
    browser.awaitText(By.cssSelector("#rollouts-table"), "no rollouts match");
  }

  private static void filter(String field, String value) {
    WebElement input = browser.find(By.cssSelector("#rollout-filters [name='" + field + "']"));
    input.clear();
    input.sendKeys(value);
    browser.find(By.cssSelector("#rollout-filters button[type='submit']")).click();
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void rolloutTimelineShowsCallsAndRewardsWhereTheModePlacesThem() throws Exception {
    browser.open(gw.url("/ui/"));
    browser.click(By.cssSelector("tr.rollout-row[data-rollout='rl-7'] a.rollout-link"));
    browser.awaitText(By.cssSelector("tr.reward-row[data-seq='5']"), "→ call #4");
    assertThat(browser.driver().findElements(By.cssSelector("tr.call-row"))).hasSize(3);
    assertThat(browser.driver().findElements(By.cssSelector("tr.reward-row"))).hasSize(2);
    // matched (Agent Lightning): 0.5@3 -> call 2, 1.0@5 -> call 4
    assertThat(text("tr.reward-row[data-seq='3']")).contains("reward = 0.5").contains("→ call #2");
    assertThat(rewardCell(1)).isEqualTo("–");
    assertThat(rewardCell(2)).isEqualTo("0.5");
    assertThat(rewardCell(4)).isEqualTo("1");
    io.tracegate.trace.Span call4 = gw.spans("rl-7").stream().filter(sp -> Long.valueOf(4).equals(sp.sequenceId()))
        .findFirst().orElseThrow();
    assertThat(text("tr.call-row[data-seq='4']")).contains("chat policy")
        .contains(call4.usage().inputTokens() + " / " + call4.usage().outputTokens());
    browser.screenshot("rollout-timeline");

    new org.openqa.selenium.support.ui.Select(browser.find(By.id("reward-mode"))).selectByValue("last");
    browser.awaitText(By.cssSelector("tr.reward-row[data-seq='3']"), "not placed in this mode");
    assertThat(text("tr.reward-row[data-seq='5']")).contains("→ call #4");
    assertThat(rewardCell(2)).isEqualTo("–");
    new org.openqa.selenium.support.ui.Select(browser.find(By.id("reward-mode"))).selectByValue("broadcast");
    browser.awaitText(By.cssSelector("tr.reward-row[data-seq='5']"), "→ call #1, call #2, call #4");
    assertThat(rewardCell(1)).isEqualTo("1");
  }

  private static String text(String css) {
    return browser.find(By.cssSelector(css)).getText();
  }

  private static String rewardCell(int seq) {
    return browser.find(By.cssSelector("tr.call-row[data-seq='" + seq + "'] td.reward")).getText();
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void callViewRendersAToolLoopAsChatWithRawJsonAndCurl() throws Exception {
    browser.open(gw.url("/ui/#/rollout/agent-loop"));
    browser.click(By.cssSelector("tr.call-row[data-seq='2'] a.call-link"));
    WebElement client = browser.awaitText(By.id("client-side"), "It is 18 degrees and sunny in Paris.");
    String chat = client.getText();
    assertThat(chat).contains("SYSTEM\nYou are a weather bot.").contains("USER\nWhat is the weather in Paris?")
        .contains("tool call get_weather call_weather_1").contains("\"city\": \"Paris\"")
        .contains("result of call_weather_1\n18 degrees, sunny");
    assertThat(browser.find(By.cssSelector(".msg.tool")).getText()).contains("18 degrees, sunny");
    String usage = browser.find(By.id("usage")).getText();
    assertThat(usage).contains("input tokens\n210").contains("cached\n128").contains("output tokens\n12");
    browser.screenshot("call-tool-loop");

    browser.click(By.cssSelector("button[data-tab='raw']"));
    String spanId = gw.spans("agent-loop").get(1).spanId();
    assertThat(browser.awaitText(By.id("raw-json"), spanId).getText()).contains("\"frontend_model\": \"tools\"");
    browser.click(By.cssSelector("button[data-tab='curl']"));
    String curl = browser.find(By.id("curl")).getAttribute("value");
    assertThat(curl).startsWith("curl " + gw.url("/rollout/agent-loop/attempt/1/v1/chat/completions"))
        .contains("content-type: application/json").contains("\"tool_call_id\":\"call_weather_1\"");
    browser.click(By.id("copy-curl"));
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void callViewShowsATranslatedCallBesideWhatTheBackendWasSent() throws Exception {
    browser.open(gw.url("/ui/#/rollout/translated"));
    browser.click(By.cssSelector("tr.call-row a.call-link"));
    WebElement upstreamSide = browser.awaitText(By.id("upstream-side"), "upstream request (openai, qwen-coder)");
    String client = browser.find(By.id("client-side")).getText();
    assertThat(client).contains("client request (anthropic)").contains("SYSTEM\nBe brief.")
        .contains("USER\nPlan a trip to Tokyo")
        .contains("Let me check the weather for you.").contains("tool call get_weather call_w")
        .contains("\"city\": \"Tokyo\"");
    assertThat(upstreamSide.getText()).contains("SYSTEM\nBe brief.").contains("USER\nPlan a trip to Tokyo");
    browser.screenshot("call-translated");
  }

  @Test
  @org.junit.jupiter.api.Order(5)
  void tokenViewShowsTheIdsWithTheirLogprobs() throws Exception {
    io.tracegate.trace.Span first = gw.spans("rl-7").get(0);
    assertThat(first.responseTokenIds()).isNotEmpty();
    browser.open(gw.url("/ui/#/call/" + first.spanId() + "?tab=tokens"));
    WebElement tokens = browser.find(By.id("response-tokens"));
    List<WebElement> chips = tokens.findElements(By.cssSelector(".tok"));
    assertThat(chips).hasSize(first.responseTokenIds().length);
    assertThat(chips.get(0).getText()).isEqualTo(String.valueOf(first.responseTokenIds()[0]));
    assertThat(chips.get(0).getAttribute("title"))
        .contains(String.format(java.util.Locale.ROOT, "logprob %.4f", first.responseLogprobs()[0]));
    assertThat(browser.find(By.id("prompt-tokens")).getText())
        .startsWith(String.valueOf(first.promptTokenIds()[0]));
    browser.screenshot("call-tokens");
  }

  @Test
  @org.junit.jupiter.api.Order(6)
  void aFourHundredKilobyteConversationRendersCollapsed() throws Exception {
    String big = "x".repeat(400_000);
    ok(gw.post("/rollout/big/attempt/1/v1/chat/completions", policy(big)));
    String spanId = gw.awaitSpans("big", 1).get(0).spanId();
    browser.open(gw.url("/ui/#/call/" + spanId));
    browser.awaitText(By.id("client-side"), "show all 400,000 characters");
    long shown = (Long) browser.js("return document.getElementById('client-side').textContent.length");
    assertThat(shown).isLessThan(10_000); // the long part is collapsed, not laid out
    browser.click(By.cssSelector("#client-side button.more"));
    browser.await("the whole text shown", d -> (Long) browser.js(
        "return document.getElementById('client-side').textContent.length") > 400_000);
    browser.screenshot("call-large");
  }

  @Test
  @org.junit.jupiter.api.Order(7)
  void overviewChartsRequestsTokensAndCostPerModel() throws Exception {
    browser.open(gw.url("/ui/"));
    browser.click(By.cssSelector("nav a[data-nav='overview']"));
    WebElement tools = browser.find(By.cssSelector("#models-table tr[data-model='tools']"));
    List<String> cells = tools.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    assertThat(cells.get(1)).isEqualTo("2"); // requests
    assertThat(cells.get(3)).isEqualTo("0.0%"); // error rate
    assertThat(cells.get(4)).isEqualTo("330 / 42");
    assertThat(cells.get(5)).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * 192 / 330));
    assertThat(cells.get(6)).startsWith("$");
    assertThat(browser.find(By.cssSelector("#models-table tr[data-model='policy']")).getText()).contains("policy");
    browser.await("five uPlot charts", d -> d.findElements(By.cssSelector("#charts .uplot")).size() == 5 ? true : null);
    String legends = browser.find(By.id("charts")).getText();
    assertThat(legends).contains("requests").contains("tokens (in + out)").contains("cost (USD)")
        .contains("error rate").contains("cache hit rate").containsIgnoringCase("tools").containsIgnoringCase("claude-x")
        .containsIgnoringCase("policy");
    assertThat(browser.driver().findElements(By.cssSelector("#charts canvas"))).hasSize(5);
    browser.screenshot("overview");
  }
}

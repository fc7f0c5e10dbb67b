package io.tracegate.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.tracegate.config.AccessConfig;
import io.tracegate.config.StoreConfig;
import io.tracegate.testing.KeyedGateway;
import io.tracegate.testing.TestGateway;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * With {@code auth.admin_key} set, the UI asks for the key when the API answers 401, sends it on every request
 * (the live updates included) and shows the data; a wrong key is asked for again.
 */
class UiAdminKeyTest {
  private static final String ADMIN = "adm-ui-5d2e8c41";

  @TempDir Path dir;

  private static String chat(String text) {
    return "{\"model\":\"policy\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}],\"max_tokens\":4}";
  }

  @Test
  void theUiAsksForTheAdminKeyAndThenShowsTheRollouts() throws Exception {
    try (TestGateway gw = TestGateway.start(TestGateway.config(StoreConfig.sqlite(dir.resolve("ui.db").toString()),
            1 << 20, Map.of("policy", TestGateway.mock(Set.of())))
            .withAccess(AccessConfig.defaults().withAdminKey(ADMIN)));
        Browser browser = Browser.start()) {
      assertThat(gw.post("/rollout/keyed-1/attempt/1/v1/chat/completions", chat("hello")).statusCode())
          .isEqualTo(200);
      KeyedGateway api = new KeyedGateway(gw, ADMIN);
      assertThat(api.send("GET", "/api/rollouts", null, null).statusCode()).as("the API is closed").isEqualTo(401);

      browser.open(gw.url("/ui/"));
      WebElement input = browser.await("the key form", d -> {
        WebElement form = d.findElement(By.id("key-form"));
        return form.isDisplayed() ? d.findElement(By.id("key-input")) : null;
      });
      assertThat(browser.driver().findElements(By.cssSelector("tr.rollout-row"))).isEmpty();

      input.sendKeys("not-the-key");
      input.submit();
      // the wrong key was taken (the form hid) and refused (the form is back)
      browser.await("the key form again after a wrong key", d -> "not-the-key".equals(
          browser.js("return sessionStorage.getItem('tracegate.adminKey')"))
          && d.findElement(By.id("key-form")).isDisplayed() ? true : null);

      WebElement again = browser.find(By.id("key-input"));
      again.sendKeys(ADMIN);
      again.submit();
      browser.find(By.cssSelector("tr.rollout-row[data-rollout='keyed-1']"));
      assertThat(browser.driver().findElement(By.id("key-form")).isDisplayed()).isFalse();

      // the live list keeps the key: a new rollout appears without a reload
      assertThat(gw.post("/rollout/keyed-2/attempt/1/v1/chat/completions", chat("again")).statusCode())
          .isEqualTo(200);
      browser.find(By.cssSelector("tr.rollout-row[data-rollout='keyed-2']"));
      assertThat(browser.js("return sessionStorage.getItem('tracegate.adminKey')")).isEqualTo(ADMIN);
    }
  }
}

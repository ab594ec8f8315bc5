package dev.asyncshop.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.asyncshop.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The ops console in a real browser: headless Chromium, driven by Selenium, against the running
 * services, the console as its own process, and this run's authorization server. An operator logs
 * in, finds a poison command in the parking lot, fixes its payload and replays it; the order's
 * status arrives live on the orders page open in another tab, and the audit timeline shows the
 * replay's lineage. Each step's screenshot goes to {@code target/system-tests/console}, and to the
 * folder {@code asyncshop.console.screenshots} names when set (README's come from there).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserSystemTests {

  /** Debian's Chromium and its driver: Selenium is pointed at both, so it never downloads one. */
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  static final Duration PAGE_WAIT = Duration.ofSeconds(30);

  private Suite suite;
  private Shop shop;
  private ServiceProcess console;
  private SpoiledCommands rabbitMq;
  private ChromeDriverService driverService;
  private ChromeDriver browser;

  @BeforeAll
  void start() {
    for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(program)) {
        fail(
            "%s is missing: the console's browser test needs Chromium and its driver;"
                    .formatted(program)
                + " install them with: apt-get install -y chromium chromium-driver");
      }
    }
    suite = Suite.get();
    shop = new Shop(suite);
    console = suite.console();
    rabbitMq = new SpoiledCommands(suite);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1000");
    driverService =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(driverService, options);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (driverService != null) {
      driverService.stop();
    }
    if (rabbitMq != null) {
      rabbitMq.close();
    }
  }

  @Test
  void anOperatorFixesAPoisonCommandInTheConsoleAndItsOrderShips() {
    logIn();
    waitFor(By.cssSelector("#services tbody tr"));
    screenshot("overview");
    // The orders page stays open in a tab of its own while the operator works in the other.
    String workTab = browser.getWindowHandle();
    browser.switchTo().newWindow(WindowType.TAB);
    String liveTab = browser.getWindowHandle();
    browser.get(console.uri("/orders").toString());
    wait(PAGE_WAIT).until(ExpectedConditions.textToBe(By.id("stream-state"), "Live."));
    browser.switchTo().window(workTab);

    // The order's reserve command arrives spoiled: the operator has until the step's deadline to
    // fix it, or the saga cancels the order, as it should.
    SpoiledCommands.Spoiled spoiled =
        rabbitMq.spoil(
            "inventory.reserve",
            "lines",
            () -> shop.accepted(Shop.orderRequest("SKU-002", 1, "tok_visa")));
    String orderId = spoiled.orderId();

    WebElement parked = findInParkingLot(orderId);
    screenshot("parking-lot");
    parked.findElement(By.cssSelector("td a")).click();
    assertThat(waitFor(By.id("summary")).getText()).contains("POISON", "inventory.reserve");
    screenshot("parked-message");

    WebElement payload = browser.findElement(By.cssSelector("#edit textarea"));
    payload.clear();
    payload.sendKeys(spoiled.original());
    browser.findElement(By.cssSelector("#edit button[value=replay]")).click();
    assertThat(waitFor(By.cssSelector("p.notice")).getText())
        .startsWith("Payload saved. Replayed: its handler ran and succeeded");
    assertThat(browser.findElement(By.id("lineage")).getText()).contains("by " + Suite.OPERATOR);
    screenshot("replayed");

    browser.switchTo().window(liveTab);
    WebElement shipped =
        wait(Duration.ofSeconds(60))
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("tr[data-order='%s'] span.SHIPPED".formatted(orderId))));
    assertThat(shipped.getText()).isEqualTo("SHIPPED");
    screenshot("live-orders");
    assertThat(shop.order(orderId).get("status").asString()).isEqualTo("SHIPPED");

    browser.findElement(By.cssSelector("tr[data-order='%s'] a".formatted(orderId))).click();
    List<String> timeline = auditTimeline(orderId);
    assertThat(timeline)
        .anySatisfy(row -> assertThat(row).contains("EDITED", Suite.OPERATOR))
        .anySatisfy(row -> assertThat(row).contains("REPLAYED", Suite.OPERATOR))
        .anySatisfy(row -> assertThat(row).contains("inventory-service", "HANDLED", "replay of"))
        .anySatisfy(row -> assertThat(row).contains("shipping-service", "HANDLED"));
    // The screenshot shows the operator's part of the flow, not its first steps.
    browser.executeScript(
        "arguments[0].scrollIntoView()",
        browser.findElement(By.cssSelector("#timeline tr[data-outcome=EDITED]")));
    screenshot("audit-timeline");
  }

  /** Opens the console, is sent to the authorization server's login, and logs in as operator. */
  private void logIn() {
    browser.get(console.uri("/").toString());
    waitFor(By.id("username")).sendKeys(Suite.OPERATOR);
    browser.findElement(By.id("password")).sendKeys(suite.password);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
    wait(PAGE_WAIT).until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
  }

  /**
   * Filters the parking lot as an operator would, then reads it again until the message is there:
   * the service takes its dead letters into the parking lot a moment after the broker dead-lettered
   * them.
   */
  private WebElement findInParkingLot(String orderId) {
    browser.findElement(By.linkText("Parking lot")).click();
    new Select(waitFor(By.name("service"))).selectByValue("inventory");
    new Select(browser.findElement(By.name("reason"))).selectByValue("POISON");
    browser.findElement(By.name("correlationId")).sendKeys(orderId);
    browser.findElement(By.cssSelector("form.filter button[type=submit]")).click();
    return wait(PAGE_WAIT)
        .until(
            driver -> {
              WebElement found =
                  waitFor(By.id("parked")).findElements(By.cssSelector("tbody tr")).stream()
                      .filter(row -> row.getText().contains(orderId))
                      .findFirst()
                      .orElse(null);
              if (found == null) {
                browser.navigate().refresh();
              }
              return found;
            });
  }

  /**
   * The timeline's rows as text, once every service's records of the replay are there: the services
   * write audit records to Kafka in batches, so the page is read again until they are.
   */
  private List<String> auditTimeline(String orderId) {
    return wait(PAGE_WAIT)
        .until(
            driver -> {
              List<String> rows =
                  waitFor(By.id("timeline")).findElements(By.cssSelector("tbody tr")).stream()
                      .map(WebElement::getText)
                      .toList();
              boolean complete =
                  rows.stream().anyMatch(row -> row.contains("REPLAYED"))
                      && rows.stream()
                          .anyMatch(
                              row -> row.contains("shipping-service") && row.contains("HANDLED"));
              if (!complete) {
                browser.navigate().refresh();
                return null;
              }
              assertThat(
                      browser
                          .findElement(By.cssSelector("input[name=correlationId]"))
                          .getAttribute("value"))
                  .isEqualTo(orderId);
              return rows;
            });
  }

  private WebElement waitFor(By locator) {
    return wait(PAGE_WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
  }

  private WebDriverWait wait(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(browser, timeout, Duration.ofMillis(500));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  private void screenshot(String name) {
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    try {
      Path here = Files.createDirectories(Suite.WORK.resolve("console")).resolve(name + ".png");
      Files.write(here, png);
      String published = System.getProperty("asyncshop.console.screenshots", "");
      if (!published.isBlank()) {
        Path folder = Files.createDirectories(Path.of(published));
        Files.write(folder.resolve(name + ".png"), png);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

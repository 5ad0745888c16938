package dev.leap.connectors.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.testing.ChatCompletionsServer;
import dev.leap.connectors.HeadlessChromium;
import dev.leap.connectors.ScriptedModelServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The audit page in a real headless Chromium against the service: real key presses and clicks, the
 * page's own requests, the service's real answers. A screenshot of each test's last state is kept in
 * target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(value = ScriptedModelServer.class, restrictToAnnotatedClass = true)
class AuditPageTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/audit/")
    URI page;

    @TestHTTPResource("/")
    URI base;

    @TempDir
    Path profile;

    ChromeDriver browser;
    ServiceClient leap;
    ChatCompletionsServer model;
    String collection;

    @BeforeAll
    static void chromium_is_installed() {
        HeadlessChromium.requireInstalled("audit page test");
    }

    @BeforeEach
    void open_a_fresh_browser() {
        leap = new ServiceClient(base);
        model = ScriptedModelServer.model();
        collection = "page" + UUID.randomUUID().toString().substring(0, 8);
        browser = HeadlessChromium.open(profile, 1100, 1400);
    }

    @AfterEach
    void keep_a_screenshot_and_close(TestInfo test) throws IOException {
        HeadlessChromium.screenshotAndQuit(browser, "audit-" + test.getTestMethod().orElseThrow().getName());
    }

    @Test
    void the_auditor_gives_the_token_once_and_a_click_opens_a_turn_s_provenance() {
        model.thenCall("call_ann", "create_record", create("Ann Page", "555-0100")).thenSay("Saved Ann.").thenSay("Hello!");
        String created = leap.send("add Ann Page, 555-0100");
        leap.send("hello there");

        openWithToken();

        List<WebElement> turns = turns(2);
        assertThat(turns.get(0).findElement(By.className("text")).getText()).isEqualTo("“hello there”");
        assertThat(turns.get(1).getDomAttribute("data-turn")).isEqualTo(created);
        turns.get(1).findElement(By.className("summary")).click();

        WebElement details = visible(By.id("turn-" + created));
        assertThat(details.findElement(By.className("message")).getText()).isEqualTo("add Ann Page, 555-0100");
        assertThat(details.findElement(By.className("arguments")).getText()).isEqualTo(create("Ann Page", "555-0100"));
        assertThat(details.findElement(By.className("result")).getText()).startsWith("Created record ");
        assertThat(details.findElement(By.className("model-calls")).getText()).contains("Asked for create_record");
        assertThat(details.findElement(By.className("change")).getText())
                .isEqualTo("Added “Ann Page” to " + collection + " (name: Ann Page, phone: 555-0100).");
        assertThat(details.findElement(By.className("reply")).getText()).startsWith("Saved Ann.");
        assertThat(details.findElement(By.className("reversal")).getText()).isEqualTo("Never reverted.");
        assertThat(turns.get(1).findElement(By.className("summary")).getDomAttribute("aria-expanded")).isEqualTo("true");
    }

    @Test
    void a_reverted_turn_says_so_and_its_record_s_history_opens_from_its_event() {
        model.thenCall("call_bo", "create_record", create("Bo Page", "555-0101")).thenSay("Saved Bo.");
        String created = leap.send("add Bo Page");
        String revert = ServiceClient.json(leap.request("POST", "/api/audit/turns/" + created + "/revert",
                ScriptedModelServer.AUDITOR_TOKEN, null).body()).get("turnId").asText();

        openWithToken();
        List<WebElement> turns = turns(2);
        assertThat(turns.get(0).findElement(By.className("text")).getText()).isEqualTo("The auditor reverts turn " + created.substring(0, 8));
        assertThat(turns.get(1).findElement(By.className("reverted")).getText()).isEqualTo("reverted");
        turns.get(1).findElement(By.className("summary")).click();
        WebElement details = visible(By.id("turn-" + created));
        assertThat(details.findElement(By.className("reversal")).getText())
                .contains("by revert turn " + revert + " (auditor), 1 compensating event(s).");
        details.findElement(By.className("history-link")).click();

        By entries = By.cssSelector("#history > li");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.numberOfElementsToBe(entries, 2));
        List<WebElement> history = browser.findElements(entries);
        assertThat(history.get(0).findElement(By.className("summary")).getText()).startsWith("Added “Bo Page”");
        assertThat(history.get(0).findElement(By.className("cause")).getText())
                .isEqualTo("Turn " + created + ", from the http message “add Bo Page” — reverted since");
        assertThat(history.get(1).findElement(By.className("cause")).getText())
                .isEqualTo("Turn " + revert + ": the auditor reverting turn " + created);
        assertThat(browser.findElement(By.id("tab-history")).getDomAttribute("aria-selected")).isEqualTo("true");
    }

    @Test
    void the_records_as_of_a_chosen_time_and_older_turns_a_page_at_a_time() {
        model.thenCall("call_cy", "create_record", create("Cy Page", "555-0102")).thenSay("Saved Cy.");
        String first = leap.send("add Cy Page");
        String then = leap.audit("/api/audit/turns/" + first).get("completedAt").asText();
        model.thenCall("call_di", "create_record", create("Di Page", "555-0103")).thenSay("Saved Di.");
        for (int i = 0; i < 20; i++) {
            model.thenSay("Hi " + i + ".");
        }
        leap.send("add Di Page");
        for (int i = 0; i < 20; i++) {
            leap.send("hi " + i);
        }

        openWithToken();
        turns(20);
        browser.findElement(By.id("older")).click();
        assertThat(turns(21).get(20).findElement(By.className("text")).getText()).isEqualTo("“add Di Page”");
        browser.findElement(By.id("tab-records")).click();
        visible(By.id("at")).sendKeys(then, Keys.ENTER);

        new WebDriverWait(browser, WAIT).until(d -> d.findElement(By.id("records-summary")).getText().contains("just after"));
        List<String> rows = browser.findElements(By.cssSelector("#records tbody tr")).stream().map(WebElement::getText)
                .filter(row -> row.startsWith(collection)).toList();
        assertThat(rows).hasSize(1).first().asString().contains("Cy Page").doesNotContain("Di Page");
    }

    @Test
    void a_wrong_token_is_refused_and_asked_for_again() {
        browser.get(page.toString());
        visible(By.id("token")).sendKeys("not-the-auditor-token", Keys.ENTER);

        new WebDriverWait(browser, WAIT).until(d -> !d.findElement(By.id("error")).getText().isEmpty());
        assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("The token was refused. Enter the auditor token again.");
        WebElement token = visible(By.id("token"));
        assertThat(browser.switchTo().activeElement()).isEqualTo(token);
        assertThat(browser.findElement(By.id("audit")).isDisplayed()).isFalse();
    }

    @Test
    void audit_without_a_slash_leads_to_the_page() {
        browser.get(base.resolve("/audit").toString());

        visible(By.id("token"));
        assertThat(browser.getCurrentUrl()).isEqualTo(page.toString());
        assertThat(browser.getTitle()).isEqualTo("Leap audit");
    }

    private void openWithToken() {
        browser.get(page.toString());
        WebElement token = visible(By.id("token"));
        assertThat(browser.findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("Auditor token");
        token.sendKeys(ScriptedModelServer.AUDITOR_TOKEN, Keys.ENTER);
    }

    /** Waits until the timeline lists at least {@code count} turns, and returns them. */
    private List<WebElement> turns(int count) {
        By turns = By.cssSelector("#turns > li");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.numberOfElementsToBeMoreThan(turns, count - 1));
        return browser.findElements(turns);
    }

    private WebElement visible(By locator) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(locator));
    }

    private String create(String name, String phone) {
        return "{\"collection\":\"" + collection + "\",\"fields\":{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\"}}";
    }
}

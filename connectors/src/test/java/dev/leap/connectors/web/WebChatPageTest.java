package dev.leap.connectors.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leap.agent.inbox.MessageReceived;
import dev.leap.connectors.HeadlessChromium;
import dev.leap.connectors.ScriptedModelServer;
import dev.leap.store.EventLog;
import dev.leap.store.RecordedEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web chat page in a real headless Chromium, against the service: real key presses and clicks,
 * the page's own requests, the service's real answers. A screenshot of each test's last state is
 * kept in target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(value = ScriptedModelServer.class, restrictToAnnotatedClass = true)
class WebChatPageTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource("/chat/")
    URI page;

    @Inject
    EventLog log;

    @TempDir
    Path profile;

    ChromeDriver browser;

    @BeforeAll
    static void chromium_is_installed() {
        HeadlessChromium.requireInstalled("web chat test");
    }

    @BeforeEach
    void open_a_fresh_browser() {
        browser = HeadlessChromium.open(profile, 800, 900);
    }

    @AfterEach
    void keep_a_screenshot_and_close(TestInfo test) throws IOException {
        HeadlessChromium.screenshotAndQuit(browser, "web-chat-" + test.getTestMethod().orElseThrow().getName());
    }

    @Test
    void the_owner_gives_the_token_once_and_sees_the_reply_naming_the_change() {
        ScriptedModelServer.model()
                .thenCall("call_ann", "create_record", "{\"collection\":\"contacts\",\"fields\":{\"name\":\"Ann\"}}")
                .thenSay("Added Ann.");
        long from = end();
        browser.get(page.toString());

        WebElement token = visible("token");
        assertThat(browser.findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("Owner token");
        assertThat(browser.switchTo().activeElement()).isEqualTo(token);
        token.sendKeys(ScriptedModelServer.OWNER_TOKEN, Keys.ENTER);
        WebElement message = visible("message");
        assertThat(browser.switchTo().activeElement()).isEqualTo(message);
        message.sendKeys("add Ann", Keys.ENTER);

        assertThat(reply(1)).isEqualTo("Leap: Added Ann.\n\nAdded “Ann” to contacts (name: Ann).");
        assertThat(message.getDomProperty("value")).isEmpty();
        assertThat(browser.switchTo().activeElement()).isEqualTo(message);
        MessageReceived received = MessageReceived.fromEvent(events(from, "MessageReceived").getFirst());
        assertThat(received.message().channel()).isEqualTo("web");
        assertThat(received.message().chatId()).startsWith("web-");
        assertThat(received.message().text()).isEqualTo("add Ann");
        assertThat(events(from, "RecordCreated")).hasSize(1);
    }

    @Test
    void after_a_reload_the_page_remembers_the_token_and_keeps_one_conversation_with_a_fresh_id_per_message() {
        ScriptedModelServer.model().thenSay("Hello.").thenSay("Hello again.");
        long from = end();
        browser.get(page.toString());
        visible("token").sendKeys(ScriptedModelServer.OWNER_TOKEN, Keys.ENTER);
        visible("message").sendKeys("hello", Keys.ENTER);
        reply(1);

        browser.navigate().refresh();
        WebElement message = visible("message");
        assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();
        message.sendKeys("hello again");
        browser.findElement(By.id("send")).click();

        assertThat(reply(1)).startsWith("Leap: Hello again.");
        List<MessageReceived> received = events(from, "MessageReceived").stream().map(MessageReceived::fromEvent).toList();
        assertThat(received).hasSize(2);
        assertThat(received.get(1).message().chatId()).isEqualTo(received.get(0).message().chatId());
        assertThat(received.get(1).message().channelMessageId()).isNotEqualTo(received.get(0).message().channelMessageId());
    }

    @Test
    void leap_s_bare_address_and_chat_without_a_slash_lead_to_the_page() {
        for (String address : List.of("/", "/chat")) {
            browser.get(page.resolve(address).toString());

            visible("token");
            assertThat(browser.getCurrentUrl()).isEqualTo(page.toString());
            assertThat(browser.getTitle()).isEqualTo("Leap");
        }
    }

    @Test
    void a_wrong_token_is_shown_as_refused_and_asked_for_again() {
        int asked = ScriptedModelServer.model().requests().size();
        long from = end();
        browser.get(page.toString());
        visible("token").sendKeys("not-the-owner-token", Keys.ENTER);

        visible("message").sendKeys("add Bob", Keys.ENTER);

        assertThat(error()).isEqualTo("The token was refused. Enter the owner token again.");
        WebElement token = visible("token");
        assertThat(browser.switchTo().activeElement()).isEqualTo(token);
        assertThat(events(from, null)).extracting(RecordedEvent::type).containsOnly("SenderRefused");
        assertThat(ScriptedModelServer.model().requests()).hasSize(asked);
    }

    @Test
    void leap_out_of_reach_is_said_so_and_the_message_can_be_sent_again() {
        ScriptedModelServer.model().thenSay("Got it.");
        browser.get(page.toString());
        visible("token").sendKeys(ScriptedModelServer.OWNER_TOKEN, Keys.ENTER);
        WebElement message = visible("message");
        ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
        offline.setOffline(true);
        browser.setNetworkConditions(offline);

        message.sendKeys("note: buy milk", Keys.ENTER);
        assertThat(error()).isEqualTo("Leap is unreachable: is it running? Send the message again once it is.");
        assertThat(message.getDomProperty("value")).isEqualTo("note: buy milk");
        browser.deleteNetworkConditions();
        message.sendKeys(Keys.ENTER);

        assertThat(reply(1)).startsWith("Leap: Got it.");
        assertThat(browser.findElements(By.cssSelector("#messages li.owner"))).hasSize(1);
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    }

    private WebElement visible(String id) {
        return new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    /** Waits for Leap's {@code count}th reply on the page and returns it as a reader hears it. */
    private String reply(int count) {
        By replies = By.cssSelector("#messages li.leap");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.numberOfElementsToBe(replies, count));
        return browser.findElements(replies).getLast().getDomProperty("textContent");
    }

    private String error() {
        By error = By.id("error");
        new WebDriverWait(browser, WAIT).until(d -> !d.findElement(error).getText().isEmpty());
        return browser.findElement(error).getText();
    }

    private long end() {
        return log.lastPosition().orElse(-1) + 1;
    }

    /** The events appended since {@code position}, of one type or (null) all. */
    private List<RecordedEvent> events(long position, String type) {
        return log.readAll(position, 1_000).stream().filter(e -> type == null || e.type().equals(type)).toList();
    }
}

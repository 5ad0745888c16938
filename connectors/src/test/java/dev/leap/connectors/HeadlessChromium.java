package dev.leap.connectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium and its driver for the page tests, named explicitly so that Selenium Manager
 * downloads nothing, and the screenshots those tests keep in target/screenshots.
 */
public final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private HeadlessChromium() {
    }

    /** Fails the test class at once, saying how to install them, when Chromium or its driver is missing. */
    public static void requireInstalled(String test) {
        for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(program)) {
                throw new AssertionError(program + " is missing. The " + test + " drives Debian's Chromium: "
                        + ".ci/run installs it, or run: apt-get install -y chromium chromium-driver");
            }
        }
    }

    /** A browser of its own profile directory, so that no test sees another's stored token. */
    public static ChromeDriver open(Path profile, int width, int height) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        return new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build(), options);
    }

    /** Keeps what the browser shows as target/screenshots/NAME.png, then closes it. */
    public static void screenshotAndQuit(ChromeDriver browser, String name) throws IOException {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }
}

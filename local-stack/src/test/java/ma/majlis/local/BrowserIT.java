package ma.majlis.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader page and its discussion in a real browser (Debian's headless chromium), against the local stack
 * started as a newcomer starts it. A screenshot of each state the tests check is kept in target/screenshots.
 */
class BrowserIT {

    static final String ARTICLE = "/articles/day-3-computer-vision-for-agriculture";

    static final Path SCREENSHOTS = Path.of(System.getProperty("majlis.screenshots", "target/screenshots"));

    @TempDir
    static Path data;

    static StackLaunch stack;

    static String gateway;

    final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void startTheStack() throws Exception {
        Map<String, String> environment = StackLaunch.freePorts(data);
        stack = StackLaunch.start(environment);
        stack.awaitReady();
        gateway = "http://localhost:" + environment.get(LocalSettings.GATEWAY_PORT);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopTheStack() throws InterruptedException {
        if (stack != null) {
            stack.stop();
        }
    }

    @AfterEach
    void closeBrowsers() {
        browsers.forEach(WebDriver::quit);
    }

    private WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1800");
        ChromeDriverService driver = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        WebDriver browser = new ChromeDriver(driver, options);
        browsers.add(browser);
        return browser;
    }

    private static Object script(WebDriver browser, String code) {
        return ((JavascriptExecutor) browser).executeScript(code);
    }

    /** Opens the article and waits until its discussion has loaded. */
    private static SearchContext openDiscussion(WebDriver browser) {
        browser.get(gateway + ARTICLE);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(page -> Boolean.TRUE.equals(script(page,
            "const host = document.getElementById('majlis-comments');"
                + "return !!(host && host.shadowRoot && host.shadowRoot.querySelector('.count')"
                + " && /comment/.test(host.shadowRoot.querySelector('.count').textContent));")));
        return browser.findElement(By.id("majlis-comments")).getShadowRoot();
    }

    private static String thread(WebDriver browser) {
        return String.valueOf(script(browser,
            "return document.getElementById('majlis-comments').shadowRoot.querySelector('.thread').textContent"));
    }

    private static void post(SearchContext discussion, String name, String body) {
        discussion.findElement(By.cssSelector("form.compose input")).sendKeys(name);
        discussion.findElement(By.cssSelector("form.compose textarea")).sendKeys(body);
        discussion.findElement(By.cssSelector("form.compose button[type=submit]")).click();
    }

    private static void screenshot(WebDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void aCommentPostedInOneBrowserAppearsInAnotherWithoutAReload() throws Exception {
        WebDriver amina = browser();
        WebDriver youssef = browser();
        openDiscussion(amina);
        script(amina, "window.__notReloaded = true;");
        SearchContext discussion = openDiscussion(youssef);

        post(discussion, "Youssef", "Drones over the **Souss** valley, live.");

        new WebDriverWait(amina, Duration.ofSeconds(20)).until(page -> thread(page).contains("Drones over the"));
        assertThat(script(amina, "return window.__notReloaded")).as("no reload").isEqualTo(true);
        assertThat(script(amina, "return document.getElementById('majlis-comments').shadowRoot"
            + ".querySelector('.thread strong + time') !== null")).isEqualTo(true);
        screenshot(amina, "article-live-comment");
    }

    @Test
    void aCommentFullOfScriptIsShownAsTextAndRunsNothing() throws Exception {
        WebDriver reader = browser();
        SearchContext discussion = openDiscussion(reader);
        String payloads = "<script>window.__pwned='script'</script> <img src=x onerror=\"window.__pwned='img'\"> "
            + "[link](javascript:window.__pwned='link') <svg onload=\"window.__pwned='svg'\"></svg> "
            + "<a href=\"#\" onclick=\"window.__pwned='click'\">press</a>";

        post(discussion, "<b onmouseover=\"window.__pwned='name'\">Mallory</b>", payloads);

        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> thread(page).contains("window.__pwned='img'"));
        script(reader, "document.getElementById('majlis-comments').shadowRoot.querySelectorAll('.thread a')"
            + ".forEach(a => a.click());");
        assertThat(script(reader, "return window.__pwned === undefined")).as("nothing ran").isEqualTo(true);
        assertThat(script(reader, "return document.getElementById('majlis-comments').shadowRoot"
            + ".querySelectorAll('.thread script, .thread img, .thread svg, .thread [onerror], .thread [onclick],"
            + " .thread [onload], .thread [onmouseover]').length")).isEqualTo(0L);
        assertThat(thread(reader)).contains("<script>window.__pwned='script'</script>",
            "<b onmouseover=\"window.__pwned='name'\">Mallory</b>");
        screenshot(reader, "article-xss-as-text");
    }
}

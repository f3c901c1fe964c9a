package ma.majlis.local;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ma.majlis.infra.Ports;
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
import org.openqa.selenium.WebElement;
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

    static int gatewayPort;

    /** A site that embeds the widget, laid out like an MkDocs Material site. */
    static MkDocsLikeSite site;

    static final HttpClient http = HttpClient.newHttpClient();

    final List<WebDriver> browsers = new ArrayList<>();

    @BeforeAll
    static void startTheStack() throws Exception {
        Map<String, String> environment = StackLaunch.freePorts(data);
        int sitePort = Ports.free();
        environment.put("MAJLIS_CORS_ORIGINS", "http://localhost:" + sitePort);
        stack = StackLaunch.start(environment);
        stack.awaitReady();
        gatewayPort = Integer.parseInt(environment.get(LocalSettings.GATEWAY_PORT));
        gateway = "http://localhost:" + gatewayPort;
        site = new MkDocsLikeSite(sitePort, gateway);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopTheStack() throws InterruptedException {
        if (site != null) {
            site.close();
        }
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
        return openDiscussion(browser, gateway + ARTICLE);
    }

    private static SearchContext openDiscussion(WebDriver browser, String url) {
        browser.get(url);
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

    /** Posts a comment straight to the API, as another reader would. */
    private static void postDirectly(String slug, String body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create(gateway + "/api/articles/" + slug + "/comments"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"authorName\": \"Salma\", \"body\": \"" + body + "\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
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
    void aReaderFollowsByEmailConfirmsWithTheMailedLinkAndTheNextMailLeadsBackToTheComment() throws Exception {
        WebDriver hind = browser();
        SearchContext discussion = openDiscussion(hind);
        String address = "hind.browser@example.ma";
        discussion.findElement(By.cssSelector(".follow-box summary")).click();
        discussion.findElement(By.cssSelector("#follow-email")).clear();
        discussion.findElement(By.cssSelector("#follow-email")).sendKeys(address);
        discussion.findElement(By.cssSelector("form.follow button[type=submit]")).click();
        new WebDriverWait(hind, Duration.ofSeconds(20)).until(page -> discussion.findElement(By.cssSelector(".said"))
            .getText().contains("Check " + address));
        screenshot(hind, "follow-by-email");

        // The mail catcher shows the confirmation mail and its link; the link's page confirms with one button.
        String confirm = mailedLink(address, gateway + "/api/subscriptions/confirm?token=");
        hind.get(confirm);
        hind.findElement(By.cssSelector("button[type=submit]")).click();
        try {
            new WebDriverWait(hind, Duration.ofSeconds(20)).until(page -> page.getTitle()
                .startsWith("Subscription confirmed"));
        }
        catch (org.openqa.selenium.TimeoutException ex) {
            throw new AssertionError("Not confirmed; the browser shows " + hind.getCurrentUrl() + ":\n"
                + hind.getPageSource(), ex);
        }
        screenshot(hind, "subscription-confirmed");

        postDirectly("day-3-computer-vision-for-agriculture", "Mailed to everyone who follows");
        String comment = mailedLink(address, gateway + ARTICLE + "#comment-");
        hind.get(comment);
        String id = comment.substring(comment.indexOf("#comment-") + "#comment-".length());
        new WebDriverWait(hind, Duration.ofSeconds(20)).until(page -> Boolean.TRUE.equals(script(page,
            "const root = document.getElementById('majlis-comments').shadowRoot;"
                + "return !!root && !!root.activeElement && root.activeElement.parentElement.id === 'c-" + id + "';")));
        assertThat(thread(hind)).contains("Mailed to everyone who follows");
    }

    /** The link of the newest mail the local stack's mail catcher showed for {@code address}, starting so. */
    private static String mailedLink(String address, String start) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stack.output.stream()
            .anyMatch(line -> line.strip().startsWith("link: " + start)));
        assertThat(stack.output).anyMatch(line -> line.contains("Mail to " + address));
        List<String> links = stack.output.stream().map(String::strip).filter(line -> line.startsWith("link: " + start))
            .toList();
        return links.get(links.size() - 1).substring("link: ".length());
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

    @Test
    void aReaderWhoLosesTheNetworkSeesEveryCommentTheyMissedExactlyOnceWhenItReturns() throws Exception {
        try (CuttableProxy wifi = new CuttableProxy(gatewayPort)) {
            WebDriver reader = browser();
            openDiscussion(reader, "http://localhost:" + wifi.port() + ARTICLE);
            String run = Long.toString(System.nanoTime(), 36);

            wifi.cut();
            new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> Boolean.TRUE.equals(script(page,
                "return document.getElementById('majlis-comments').hasAttribute('data-offline')")));
            for (int i = 1; i <= 3; i++) {
                postDirectly("day-3-computer-vision-for-agriculture", "Missed " + i + " " + run);
            }
            screenshot(reader, "article-offline");
            assertThat(thread(reader)).doesNotContain("Missed 1 " + run);

            wifi.restore();
            new WebDriverWait(reader, Duration.ofSeconds(30)).until(page -> thread(page).contains("Missed 3 " + run));
            String thread = thread(reader);
            for (int i = 1; i <= 3; i++) {
                assertThat(occurrences(thread, "Missed " + i + " " + run)).as("comment %d shown once", i).isEqualTo(1);
            }
            assertThat(thread.indexOf("Missed 1 " + run)).isLessThan(thread.indexOf("Missed 2 " + run));
            screenshot(reader, "article-back-online");
        }
    }

    @Test
    void aReaderWhoseStreamIsRefusedForWantOfRoomTriesAgainAndCatchesUp() throws Exception {
        try (CuttableProxy gatewayProxy = new CuttableProxy(gatewayPort)) {
            WebDriver reader = browser();
            openDiscussion(reader, "http://localhost:" + gatewayProxy.port() + ARTICLE);
            String run = Long.toString(System.nanoTime(), 36);

            // The stream ends, and each time the browser comes back it is answered 503: an EventSource gives up on
            // that for good, so it is the widget that must try again.
            gatewayProxy.busy();
            new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> Boolean.TRUE.equals(script(page,
                "return document.getElementById('majlis-comments').hasAttribute('data-offline')")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> gatewayProxy.refusedAsBusy() >= 2);
            for (int i = 1; i <= 2; i++) {
                postDirectly("day-3-computer-vision-for-agriculture", "Refused " + i + " " + run);
            }
            assertThat(thread(reader)).doesNotContain("Refused 1 " + run);

            gatewayProxy.restore();
            new WebDriverWait(reader, Duration.ofSeconds(45)).until(page -> thread(page).contains("Refused 2 " + run)
                && !Boolean.TRUE.equals(script(page,
                    "return document.getElementById('majlis-comments').hasAttribute('data-offline')")));
            String thread = thread(reader);
            for (int i = 1; i <= 2; i++) {
                assertThat(occurrences(thread, "Refused " + i + " " + run)).as("comment %d shown once", i)
                    .isEqualTo(1);
            }
        }
    }

    @Test
    void theWidgetOnAnMkDocsMaterialPageFindsItsThreadFollowsInstantNavigationAndThePalette() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        postDirectly("day-3-computer-vision-for-agriculture", "Vision thread " + run);
        postDirectly("day-2-darija-and-tamazight-nlp", "Darija thread " + run);
        WebDriver reader = browser();

        SearchContext discussion = openDiscussion(reader, site.url("/day-3-computer-vision-for-agriculture/"));
        script(reader, "window.__sameDocument = true;");
        assertThat(thread(reader)).contains("Vision thread " + run).doesNotContain("Darija thread " + run);
        // The site's own styles, which would hide or blow up a widget that shared them, do not reach it.
        assertThat(script(reader, "const button = document.getElementById('majlis-comments').shadowRoot"
            + ".querySelector('form.compose button[type=submit]'); const style = getComputedStyle(button);"
            + "return style.display + ' ' + style.fontSize")).isNotEqualTo("none 40px").asString()
            .doesNotStartWith("none").doesNotEndWith("40px");
        assertThat(discussion.findElement(By.cssSelector("form.compose button[type=submit]")).isDisplayed()).isTrue();
        assertThat(Double.parseDouble(String.valueOf(script(reader, "return parseFloat(getComputedStyle("
            + "document.getElementById('majlis-comments').shadowRoot.querySelector('form.compose label')).fontSize)"))))
            .as("the site's 40px root font does not reach the widget's labels").isLessThan(20);
        screenshot(reader, "mkdocs-page-widget");

        reader.findElement(By.cssSelector("a[data-instant]")).click();
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> thread(page).contains("Darija thread " + run));
        assertThat(script(reader, "return window.__sameDocument")).as("instant navigation, no reload").isEqualTo(true);
        assertThat(reader.getCurrentUrl()).endsWith("/day-2-darija-and-tamazight-nlp/");
        assertThat(thread(reader)).doesNotContain("Vision thread " + run);

        script(reader, "document.body.setAttribute('data-md-color-scheme', 'slate')");
        new WebDriverWait(reader, Duration.ofSeconds(5)).until(page -> "dark".equals(script(page,
            "return document.getElementById('majlis-comments').getAttribute('data-theme')")));
        screenshot(reader, "mkdocs-page-after-instant-navigation-slate");
    }

    /** Clicks the button named {@code label} on the comment whose text contains {@code text}. */
    private static void press(WebDriver browser, String text, String label) {
        ((JavascriptExecutor) browser).executeScript("const root = document.getElementById('majlis-comments')"
            + ".shadowRoot; const comment = [...root.querySelectorAll('li.comment')]"
            + ".find(node => node.querySelector(':scope > article').textContent.includes(arguments[0]));"
            + "[...comment.querySelectorAll(':scope > article button')].find(b => b.textContent === arguments[1])"
            + ".click();", text, label);
    }

    @Test
    void anAuthorEditsAndDeletesFromTheSameBrowserAndAReaderScrolledAwaySeesItAllLive() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        WebDriver reader = browser();
        reader.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 500));
        openDiscussion(reader);
        script(reader, "window.scrollTo(0, 0)");
        WebDriver author = browser();
        SearchContext discussion = openDiscussion(author);

        post(discussion, "Amina", "First *words* " + run);
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> thread(page).contains("First words " + run));
        assertThat(script(reader, "const marker = document.getElementById('majlis-comments').shadowRoot"
            + ".querySelector('.marker'); return marker.hidden ? '' : marker.textContent"))
            .as("a quiet marker for the reader who is reading the article").isEqualTo("1 new comment");
        assertThat(script(reader, "const box = document.getElementById('majlis-comments').shadowRoot"
            + ".querySelector('.marker').getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight"))
            .as("the marker is where the reader is reading").isEqualTo(true);
        screenshot(reader, "article-new-comment-marker");
        script(reader, "document.getElementById('majlis-comments').shadowRoot.querySelector('.marker').click()");
        assertThat(script(reader, "return document.getElementById('majlis-comments').shadowRoot"
            + ".querySelector('.marker').hidden")).isEqualTo(true);

        new WebDriverWait(author, Duration.ofSeconds(20)).until(page -> thread(page).contains("First words " + run));
        press(author, run, "Edit");
        WebElement editor = author.findElement(By.id("majlis-comments")).getShadowRoot()
            .findElement(By.cssSelector("li.comment form.compose textarea"));
        assertThat(editor.getAttribute("value")).as("the author's own Markdown, kept in their browser")
            .isEqualTo("First *words* " + run);
        editor.clear();
        editor.sendKeys("Better **words** " + run);
        author.findElement(By.id("majlis-comments")).getShadowRoot()
            .findElement(By.cssSelector("li.comment form.compose button[type=submit]")).click();
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> thread(page).contains("Better words " + run));
        assertThat(thread(reader)).doesNotContain("First words " + run).contains("edited");

        script(author, "window.confirm = () => true;");
        press(author, run, "Delete");
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> !thread(page).contains("Better words " + run));
        assertThat(thread(reader)).contains("This comment was deleted.");
        screenshot(reader, "article-edited-then-deleted");
    }

    @Test
    void theListFindsArticlesAndTheArticlePageTakesRepliesAndVotes() throws Exception {
        String run = Long.toString(System.nanoTime(), 36);
        postDirectly("day-1-why-morocco-needs-ml", "A root comment " + run);
        WebDriver reader = browser();

        reader.get(gateway + "/?q=farmers");
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> !page.findElements(
            By.cssSelector(".articles li")).isEmpty());
        assertThat(reader.findElement(By.cssSelector(".articles li mark")).getText()).isNotBlank();
        reader.get(gateway + "/");
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> page.findElements(
            By.cssSelector(".articles li")).size() >= 4);
        assertThat(reader.findElement(By.cssSelector(".articles")).getText())
            .contains("Day 1: Why Morocco Needs Machine Learning", "ML & DL Morocco Challenges · Day 1")
            .containsPattern("[1-9][0-9]* comments?");
        screenshot(reader, "article-list");

        reader.findElement(By.linkText("Day 1: Why Morocco Needs Machine Learning")).click();
        SearchContext discussion = openDiscussion(reader, reader.getCurrentUrl());
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> thread(page).contains("A root comment " + run));
        press(reader, "A root comment " + run, "▲");
        new WebDriverWait(reader, Duration.ofSeconds(10)).until(page -> "1".equals(script(page,
            "const root = document.getElementById('majlis-comments').shadowRoot; return [...root"
                + ".querySelectorAll('li.comment')].find(n => n.textContent.includes('A root comment " + run + "'))"
                + ".querySelector('.score').textContent")));
        press(reader, "A root comment " + run, "Reply");
        discussion.findElement(By.cssSelector("li.comment form.compose input")).sendKeys("Youssef");
        discussion.findElement(By.cssSelector("li.comment form.compose textarea")).sendKeys("A reply " + run);
        discussion.findElement(By.cssSelector("li.comment form.compose button[type=submit]")).click();
        new WebDriverWait(reader, Duration.ofSeconds(20)).until(page -> Boolean.TRUE.equals(script(page,
            "const root = document.getElementById('majlis-comments').shadowRoot; const parent = [...root"
                + ".querySelectorAll('li.comment')].find(n => n.querySelector(':scope > article').textContent"
                + ".includes('A root comment " + run + "')); return !!parent && parent.querySelector('ol.replies')"
                + ".textContent.includes('A reply " + run + "')")));
        screenshot(reader, "article-reply-and-vote");
    }
}

package dev.bouncewatch.agent.http;

import static dev.bouncewatch.agent.http.ApiTestAgent.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.bouncewatch.agent.source.SourceHealth.State;
import dev.bouncewatch.agent.store.StoredResult;
import dev.bouncewatch.agent.store.Suppression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's headless Chromium loads it from a running API backed by
 * a real store, and the test reads what the page rendered from the DOM Chromium dumps. Screenshots
 * go to {@code target/screenshots/} as build artifacts. Without Chromium the test is skipped, except
 * on CI (the {@code CI} variable set), where {@code .ci/run} installs it and a skip would hide a break.
 */
@Timeout(600)
class DashboardBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("BOUNCEWATCH_CHROMIUM", "/usr/bin/chromium"));
    private static final String TOKEN = "dash-board-token";
    /** A reply a hostile server could send: if the page inserted it as markup, the body would get data-pwned. */
    private static final String HOSTILE = "550 5.1.1 <img src=x onerror=\"document.body.dataset.pwned='yes'\"> User unknown";
    private static final Duration BROWSER_DEADLINE = Duration.ofMinutes(3);

    @TempDir
    Path dir;
    ApiTestAgent agent;

    @BeforeEach
    void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if (System.getenv("CI") != null) {
                fail(CHROMIUM + " is missing: .ci/run installs Debian's chromium package");
            }
            Assumptions.abort(CHROMIUM + " is missing (apt-get install chromium); the browser test is skipped");
        }
        agent = ApiTestAgent.start(dir.resolve("state"), TOKEN);
        seed();
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    /** 40 results in the last hour: 30 delivered, 6 bounced, 3 deferred, 1 expired. */
    private void seed() throws Exception {
        List<StoredResult> results = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String domain = i % 3 == 0 ? "outlook.com" : i % 3 == 1 ? "gmail.com" : "example.net";
            results.add(Seeds.delivered("reader" + i + "@" + domain, NOW.minus(Duration.ofSeconds(3500 - i * 110L))));
        }
        results.add(Seeds.bounced("gone1@example.net", NOW.minus(Duration.ofMinutes(50)), ResultsEndpointTest.USER_UNKNOWN));
        results.add(Seeds.bounced("gone2@example.net", NOW.minus(Duration.ofMinutes(40)), ResultsEndpointTest.USER_UNKNOWN));
        results.add(Seeds.bounced("gone3@example.net", NOW.minus(Duration.ofMinutes(30)), ResultsEndpointTest.USER_UNKNOWN));
        results.add(Seeds.bounced("ops@blocked.example", NOW.minus(Duration.ofMinutes(25)), ResultsEndpointTest.BLOCKED));
        results.add(Seeds.bounced("team@blocked.example", NOW.minus(Duration.ofMinutes(24)), ResultsEndpointTest.BLOCKED));
        for (int i = 0; i < 3; i++) {
            results.add(Seeds.deferred("full" + i + "@gmail.com", NOW.minus(Duration.ofMinutes(20 - i)),
                    ResultsEndpointTest.MAILBOX_FULL));
        }
        results.add(Seeds.expired("late@example.net", NOW.minus(Duration.ofMinutes(8)), "451 4.4.1 Connection timed out"));
        results.add(Seeds.bounced("evil@example.net", NOW.minus(Duration.ofMinutes(2)), HOSTILE));
        List<StoredResult> stored = agent.insert(results.toArray(StoredResult[]::new));
        StoredResult hostile = stored.get(stored.size() - 1);
        agent.suppress(ApiTestAgent.bounceSuppression(hostile, NOW.minus(Duration.ofMinutes(2))),
                new Suppression("unsubscribed@example.org", Suppression.ORIGIN_MANUAL, "asked by phone", null,
                        NOW.minus(Duration.ofMinutes(70)), NOW.minus(Duration.ofMinutes(70)), null, null, null, null, 1));
        agent.status.set(TestStatus.file("/var/log/mail.log", State.RUNNING, 0, null, NOW.minusSeconds(120)));
    }

    @Test
    void rendersCountsReasonsDomainsBouncesAndTheSuppressionList() throws Exception {
        String dom = chromium("--dump-dom", url("#token=" + TOKEN));

        assertThat(attribute(dom, "body", "data-state")).as("page state; banner: %s", text(dom, "banner")).isEqualTo("ready");
        assertThat(tag(dom, "token-form")).contains("hidden");
        assertThat(tag(dom, "banner")).contains("hidden");
        assertThat(attribute(dom, "count-delivered", "data-count")).isEqualTo("30");
        assertThat(attribute(dom, "count-bounced", "data-count")).isEqualTo("6");
        assertThat(attribute(dom, "count-deferred", "data-count")).isEqualTo("3");
        assertThat(attribute(dom, "count-expired", "data-count")).isEqualTo("1");
        assertThat(attribute(dom, "count-total", "data-count")).isEqualTo("40");
        assertThat(text(dom, "bounce-rate")).isEqualTo("18%"); // (6 + 1) / 40 = 17.5 %

        // the reason with the most results comes first, with its advice
        assertThat(dom).containsPattern("<li data-category=\"userunknown\" data-count=\"4\">");
        assertThat(dom).contains("data-category=\"blocked\"");
        assertThat(dom).contains("The address does not exist at the destination");
        assertThat(dom).contains("data-domain=\"example.net\"");
        // the latest bounces, newest first
        assertThat(dom.indexOf("data-recipient=\"evil@example.net\"")).isPositive()
                .isLessThan(dom.indexOf("data-recipient=\"gone1@example.net\""));
        // the suppression list
        assertThat(dom).contains("data-address=\"unsubscribed@example.org\"").contains("data-address=\"evil@example.net\"");
        assertThat(attribute(dom, "suppression-count", "data-total")).isEqualTo("2");
        // the chart: one bar per minute of the hour, a rate line through the buckets that had results
        assertThat(attribute(dom, "rate-chart", "data-buckets")).isEqualTo("60");
        assertThat(Integer.parseInt(attribute(dom, "rate-chart", "data-points"))).isGreaterThan(10);
        assertThat(dom).contains("id=\"rate-line\"");
        // sources from /healthz
        assertThat(dom).contains("data-source=\"file:/var/log/mail.log\" data-state=\"running\"");
        // the token left the address bar and went nowhere else
        assertThat(dom).doesNotContain(TOKEN);

        // the hostile reply is shown as text, and its markup never ran
        assertThat(dom).contains("&lt;img src=x onerror=\"document.body.dataset.pwned='yes'\"&gt; User unknown");
        assertThat(dom).doesNotContain("<img").doesNotContain("data-pwned");
    }

    @Test
    void savesScreenshotsForDesktopAndPhone() throws Exception {
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        Path desktop = shots.resolve("dashboard.png").toAbsolutePath();
        Path phone = shots.resolve("dashboard-phone.png").toAbsolutePath();
        Files.deleteIfExists(desktop);
        Files.deleteIfExists(phone);
        chromium("--screenshot=" + desktop, "--window-size=1280,1900", "--hide-scrollbars", url("#token=" + TOKEN));
        chromium("--screenshot=" + phone, "--window-size=390,2600", "--hide-scrollbars", url("#token=" + TOKEN));
        for (Path png : List.of(desktop, phone)) {
            assertThat(png).exists();
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
            assertThat(head).as(png.toString()).startsWith(0x89, 'P', 'N', 'G');
            assertThat(Files.size(png)).as(png.toString()).isGreaterThan(20_000); // a rendered page, not a blank one
        }
    }

    @Test
    void withoutTheTokenThePageAsksForItInsteadOfShowingData() throws Exception {
        String dom = chromium("--dump-dom", url(""));
        assertThat(attribute(dom, "body", "data-state")).isEqualTo("auth");
        assertThat(tag(dom, "token-form")).doesNotContain("hidden");
        assertThat(attribute(dom, "count-bounced", "data-count")).isEmpty();
        assertThat(dom).doesNotContain("data-address=");
    }

    private String url(String fragment) {
        return "http://127.0.0.1:" + agent.api.port() + "/" + fragment;
    }

    /** Runs headless Chromium once with a fresh profile; returns what it printed (the DOM for --dump-dom). */
    private String chromium(String... args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--virtual-time-budget=8000"));
        command.addAll(List.of(args));
        Path stdout = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Path stderr = dir.resolve("chromium-" + System.nanoTime() + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(BROWSER_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish within " + BROWSER_DEADLINE + "; stderr: " + tail(stderr));
        }
        assertThat(p.exitValue()).as("chromium exit status; stderr: %s", tail(stderr)).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String tail(Path file) throws IOException {
        String s = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    /** The start tag of the element with this id (or the body tag for "body"). */
    private static String tag(String dom, String id) {
        Matcher m = (id.equals("body") ? Pattern.compile("<body\\b[^>]*>")
                : Pattern.compile("<[a-z]+\\b[^>]*\\bid=\"" + Pattern.quote(id) + "\"[^>]*>")).matcher(dom);
        assertThat(m.find()).as("element #" + id + " in the DOM").isTrue();
        return m.group();
    }

    private static String attribute(String dom, String id, String name) {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "=\"([^\"]*)\"").matcher(tag(dom, id));
        return m.find() ? m.group(1) : null;
    }

    /** The element's text, when it holds text only. */
    private static String text(String dom, String id) {
        String tag = tag(dom, id);
        int start = dom.indexOf(tag) + tag.length();
        int end = dom.indexOf('<', start);
        return dom.substring(start, end);
    }
}

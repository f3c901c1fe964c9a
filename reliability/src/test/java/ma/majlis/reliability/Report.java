package ma.majlis.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Writes {@code RELIABILITY.md}: one row per test of the suite, saying what was tried, what was checked, the
 * figures the test measured, and whether it held. The file is rewritten after each test class, so it always shows
 * the run so far; a test that failed says so, with its first line of failure.
 *
 * <p>A test takes a {@link Finding} parameter and records its claim and figures in it as it goes.
 */
final class Report implements ParameterResolver, TestWatcher, AfterAllCallback {

    /** What one test tried, what it checks, and what it measured. */
    static final class Finding {

        final String area;

        final String tried;

        String checked = "";

        final Map<String, String> figures = new LinkedHashMap<>();

        String outcome = "not run to the end";

        Finding(String area, String tried) {
            this.area = area;
            this.tried = tried;
        }

        /** What the test asserts; shown as what held when it passes. */
        Finding checks(String claim) {
            this.checked = claim;
            return this;
        }

        Finding figure(String name, Object value) {
            figures.put(name, String.valueOf(value));
            return this;
        }
    }

    private static final List<Finding> FINDINGS = new ArrayList<>();

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Report.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Finding.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String area = context.getRequiredTestClass().getAnnotation(org.junit.jupiter.api.DisplayName.class) != null
            ? context.getRequiredTestClass().getAnnotation(org.junit.jupiter.api.DisplayName.class).value()
            : context.getRequiredTestClass().getSimpleName();
        Finding finding = new Finding(area, context.getDisplayName());
        context.getStore(NAMESPACE).put("finding", finding);
        synchronized (FINDINGS) {
            FINDINGS.add(finding);
        }
        return finding;
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        finding(context).ifPresent(finding -> finding.outcome = "held");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        String message = String.valueOf(cause.getMessage()).strip().lines().findFirst().orElse("");
        finding(context).ifPresent(finding -> finding.outcome = "**did not hold**: " + message);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        write();
    }

    private static Optional<Finding> finding(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get("finding", Finding.class));
    }

    static void write() {
        Path target = Path.of(System.getProperty("majlis.reliability.report", "target/RELIABILITY.md"));
        StringBuilder text = new StringBuilder();
        text.append("# Reliability\n\n")
            .append("Written by the reliability suite (`reliability/`), not by hand: `./mvnw -q -DskipTests install && ")
            .append("./mvnw -pl reliability verify -Dmajlis.reliability.report=$PWD/RELIABILITY.md` runs it again and ")
            .append("rewrites this file (README: \"Reliability\").\n\n")
            .append("The suite runs the real stack on this machine: an embedded PostgreSQL and an in-process KRaft ")
            .append("broker that it stops and starts for real, content-service, two comment-service instances and ")
            .append("the gateway, each from its packaged jar in a process of its own (JVM options `")
            .append(String.join(" ", Stack.JAVA_OPTIONS)).append("`), every request through the gateway.\n\n")
            .append("Run of ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ")
            .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
            .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch")).append(", Java ")
            .append(System.getProperty("java.version")).append(" (").append(System.getProperty("java.vm.name"))
            .append(").\n\n")
            .append("| Area | What was tried | What is checked | Measured | Outcome |\n")
            .append("|---|---|---|---|---|\n");
        synchronized (FINDINGS) {
            for (Finding finding : FINDINGS) {
                StringBuilder figures = new StringBuilder();
                finding.figures.forEach((name, value) -> figures.append(figures.length() > 0 ? "; " : "")
                    .append(name).append(": ").append(value));
                text.append("| ").append(cell(finding.area)).append(" | ").append(cell(finding.tried)).append(" | ")
                    .append(cell(finding.checked)).append(" | ").append(cell(figures.toString())).append(" | ")
                    .append(cell(finding.outcome)).append(" |\n");
            }
        }
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, text, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not write the reliability report to " + target, ex);
        }
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}

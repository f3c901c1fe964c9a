package ma.majlis.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The choice of archive options and what is kept of a recording. The folder is laid out as an earlier unpacking
 * leaves it, so no JVM runs; LocalStackIT covers the real unpacking, recording and mapping.
 */
class QuickStartTest {

    static final List<String> OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    @TempDir
    Path directory;

    Path packaged;

    Path agent;

    Path folder;

    @BeforeEach
    void unpackedBefore() throws IOException {
        packaged = Files.writeString(directory.resolve("gateway.jar"), "the packaged build");
        agent = Files.writeString(directory.resolve("agent.jar"), "the agent");
        folder = directory.resolve("quick-start/gateway");
        Files.createDirectories(folder.resolve("app"));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "ma.majlis.gateway.GatewayApplication");
        try (OutputStream out = Files.newOutputStream(folder.resolve("app/gateway.jar"));
            JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        Files.writeString(folder.resolve(QuickStart.STAMP), QuickStart.identity(packaged), StandardCharsets.UTF_8);
    }

    @Test
    void theFirstRunRunsUnpackedAndRecordsAndItsArchiveIsKeptWhenItEndedOnItsOwn() throws IOException {
        QuickStart first = QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS);

        assertThat(first.jar()).isEqualTo(folder.resolve("app/gateway.jar"));
        assertThat(first.mainClass()).isEqualTo("ma.majlis.gateway.GatewayApplication");
        assertThat(first.records()).isTrue();
        assertThat(first.mapped()).isEmpty();
        assertThat(first.javaOptions()).startsWith("-Xmx256m", "-XX:TieredStopAtLevel=1").hasSize(3);
        Path recording = Path.of(first.javaOptions().get(2).substring("-XX:ArchiveClassesAtExit=".length()));
        assertThat(first.javaOptions().get(2)).startsWith("-XX:ArchiveClassesAtExit=");
        Files.writeString(recording, "classes");

        first.ended(true);

        QuickStart second = QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS);
        assertThat(second.records()).isFalse();
        assertThat(second.mapped()).hasValueSatisfying(archive -> {
            assertThat(archive).hasContent("classes").hasParent(folder);
            assertThat(second.javaOptions()).endsWith("-XX:SharedArchiveFile=" + archive);
        });
        assertThat(recording).doesNotExist();
    }

    @Test
    void aRunThatHadToBeKilledLeavesNoArchiveAndTheNextRecordsAgain() throws IOException {
        QuickStart first = QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS);
        Path recording = Path.of(first.javaOptions().get(2).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.writeString(recording, "half an archive");

        first.ended(false);

        assertThat(recording).doesNotExist();
        assertThat(QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS).records()).isTrue();
    }

    @Test
    void otherJavaOptionsOrAnotherAgentBuildRecordAnArchiveOfTheirOwn() throws IOException {
        QuickStart first = QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS);
        Files.writeString(Path.of(first.javaOptions().get(2).substring("-XX:ArchiveClassesAtExit=".length())), "x");
        first.ended(true);
        Path archive = QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS).mapped().orElseThrow();

        QuickStart production = QuickStart.prepare("gateway", packaged, agent, folder,
            List.of("-Xmx192m", "-XX:+UseSerialGC"));
        assertThat(production.records()).isTrue();
        production.ended(false);
        assertThat(QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS).mapped())
            .as("back to the first options, their archive is mapped again").contains(archive);

        Files.writeString(agent, "the agent, rebuilt with more in it");
        assertThat(QuickStart.prepare("gateway", packaged, agent, folder, List.of("-Xmx192m", "-XX:+UseSerialGC"))
            .records()).isTrue();
    }

    @Test
    void optionsThatSetClassDataSharingThemselvesAreLeftAsTheyAre() {
        for (List<String> options : List.of(List.of("-Xshare:off"), List.of("-XX:SharedArchiveFile=/opt/app.jsa"),
            List.of("-Xmx1g", "-XX:ArchiveClassesAtExit=/tmp/mine.jsa"))) {
            QuickStart quick = QuickStart.prepare("gateway", packaged, agent, folder, options);
            assertThat(quick.javaOptions()).isEqualTo(options);
            assertThat(quick.records()).isFalse();
            assertThat(quick.mapped()).isEmpty();
            assertThat(quick.jar()).as("it still runs unpacked").isEqualTo(folder.resolve("app/gateway.jar"));
        }
    }

    @Test
    void aRecordingLeftByALauncherThatIsGoneIsRemovedAndOneOfARunningLauncherIsNot() throws IOException {
        long gone = ProcessHandle.current().pid() + 1_000_000;
        Path leftOver = Files.writeString(folder.resolve("gateway-0123456789abcdef.jsa." + gone + ".recording"), "x");
        Path running = Files.writeString(folder.resolve("gateway-0123456789abcdef.jsa."
            + ProcessHandle.current().parent().orElseThrow().pid() + ".recording"), "x");

        QuickStart.prepare("gateway", packaged, agent, folder, OPTIONS);

        assertThat(leftOver).doesNotExist();
        assertThat(running).exists();
    }

    @Test
    void aJarThatCannotBeUnpackedRunsAsPackagedAndTheNoteSaysWhy() throws IOException {
        Path notSpringBoot = Files.writeString(directory.resolve("content-service.jar"), "not a jar at all");

        QuickStart quick = QuickStart.prepare("content-service", notSpringBoot, agent,
            directory.resolve("quick-start/content-service"), OPTIONS);

        assertThat(quick.jar()).isEqualTo(notSpringBoot);
        assertThat(quick.mainClass()).isNull();
        assertThat(quick.javaOptions()).isEqualTo(OPTIONS);
        assertThat(quick.records()).isFalse();
        assertThat(quick.note()).hasValueSatisfying(note -> assertThat(note)
            .startsWith("content-service starts from its packaged jar, more slowly: it could not be unpacked into ")
            .contains("extract said:"));
    }
}

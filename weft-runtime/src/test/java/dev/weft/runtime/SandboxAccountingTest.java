package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sandbox limit counts besides data blocks, and what a task hears when it hits it: empty
 * files and directories are charged per entry, a refused large write is reported as the sandbox
 * limit, and an input artifact directly under "/" is where the template says.
 */
class SandboxAccountingTest {
  private static final WeftRuntime WEFT = WeftRuntime.create();
  private static final Pattern REFUSED = Pattern.compile("entries: refused after (\\d+)");

  private static TaskResult entries(String kind, long maxSandbox) {
    return WEFT.run(
        ModuleSource.file(Examples.adversarial("entries")),
        TaskSpec.builder()
            .args(java.util.List.of(kind, "1000000"))
            .limits(Limits.defaults().withMaxSandboxBytes(maxSandbox))
            .build());
  }

  private static long refusedAfter(TaskResult r) {
    Matcher m = REFUSED.matcher(r.stderrTail());
    assertThat(m.find()).as("stderr: %s", r.stderrTail()).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void aMillionEmptyFilesHitTheSandboxLimitNamingItAndThePerEntryCharge() {
    TaskResult r = entries("files", 8L << 20);

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.SANDBOX_FULL);
    assertThat(r.message())
        .contains("8MiB")
        .contains("limits.maxSandbox")
        .contains("charged 2048 bytes each")
        .contains("exit code 1");
    assertThat(r.stderrTail()).contains("No space left on device");
    // 8 MiB at 2 KiB an entry is 4096 entries, less what the sandbox itself holds
    assertThat(refusedAfter(r)).isBetween(4000L, 4096L);
  }

  @Test
  void aMillionEmptyDirectoriesHitItToo() {
    TaskResult r = entries("dirs", 4L << 20);

    assertThat(r.failure()).contains(FailureKind.SANDBOX_FULL);
    assertThat(r.message()).contains("4MiB").contains("limits.maxSandbox");
    assertThat(refusedAfter(r)).isBetween(1950L, 2048L);
  }

  @Test
  void entriesWithinTheLimitAreCreated() {
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("entries")),
            TaskSpec.builder()
                .args(java.util.List.of("files", "1000"))
                .limits(Limits.defaults().withMaxSandboxBytes(8L << 20))
                .build());

    assertThat(r.phase()).as(r.message()).isEqualTo(Phase.Succeeded);
    assertThat(r.stdoutTail()).contains("entries: created 1000");
  }

  @Test
  void aLargeWriteRefusedWithSpaceLeftIsReportedAsTheSandboxLimitNotTheExitCode() {
    // bigparam writes 1 MiB in one call: refused whole, so most of the 768 KiB is still free after
    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("bigparam")),
            TaskSpec.builder().limits(Limits.defaults().withMaxSandboxBytes(768L << 10)).build());

    assertThat(r.phase()).isEqualTo(Phase.Failed);
    assertThat(r.failure()).contains(FailureKind.SANDBOX_FULL);
    assertThat(r.message())
        .contains("768KiB")
        .contains("limits.maxSandbox")
        .contains("then failed: exit code 1");
    assertThat(r.stderrTail()).contains("bigparam: /tmp/big.txt");
  }

  @Test
  void anInputArtifactDirectlyUnderRootIsReadableThereByARealModule(@TempDir Path tmp)
      throws Exception {
    byte[] content = "hello from /art\n".getBytes(StandardCharsets.UTF_8);
    Path art = Files.write(tmp.resolve("art.txt"), content);

    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.module("head")),
            TaskSpec.builder()
                .inputArtifact("art", "/art", art)
                .args(java.util.List.of("/art"))
                .build());

    assertThat(r.phase()).as(r.message() + r.stderrTail()).isEqualTo(Phase.Succeeded);
    // head prints "<file size> <bytes read> <fnv32a>"
    assertThat(r.stdoutTail()).startsWith(content.length + " " + content.length + " ");
  }

  @Test
  void theRootPreopenShowsTheSandboxAndNothingOfTheHost(@TempDir Path tmp) throws Exception {
    Path art = Files.writeString(tmp.resolve("art.txt"), "x");
    assertThat(Path.of("/etc/hostname")).exists(); // on the host, not in the sandbox

    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("probe")),
            TaskSpec.builder()
                .inputArtifact("art", "/art", art)
                .args(
                    java.util.List.of(
                        "/art", "/work/input.json", "/etc/hostname", "/../etc/hostname"))
                .build());

    assertThat(r.phase()).isEqualTo(Phase.Succeeded);
    assertThat(r.stdoutTail())
        .contains("open /art: ok")
        .contains("open /work/input.json: ok")
        .contains("open /etc/hostname: No such file or directory")
        .contains("open /../etc/hostname: Capabilities insufficient");
  }

  @Test
  void withoutSuchAnArtifactTheRootStaysOutsideTheSandbox(@TempDir Path tmp) throws Exception {
    Path data = Files.writeString(tmp.resolve("d.txt"), "x");

    TaskResult r =
        WEFT.run(
            ModuleSource.file(Examples.adversarial("probe")),
            TaskSpec.builder()
                .inputArtifact("d", "/in/d.txt", data)
                .args(java.util.List.of("/in/d.txt", "/art"))
                .build());

    assertThat(r.stdoutTail()).contains("open /in/d.txt: ok");
    assertThat(r.stdoutTail()).doesNotContain("open /art: ok").contains("open /art: ");
  }
}

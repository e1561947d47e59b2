package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script {@code ./weft}, run in a copy of the source tree's layout with a stand-in
 * {@code mvn} and {@code java} that record their calls: it rebuilds exactly when a pom, a source
 * file or a source directory is newer than the jar, and runs the JDK it picks. File times are set,
 * not waited for.
 */
class LauncherTest {
  private static final Path SCRIPT = Path.of("..", "weft").toAbsolutePath().normalize();
  private static final Instant BUILT = Instant.parse("2026-01-02T00:00:00Z");

  @TempDir Path root;
  Path jar;
  Path source;
  Path jdk;
  Path calls;

  private static void write(Path p, String text, Instant mtime) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    Files.setLastModifiedTime(p, FileTime.from(mtime));
  }

  private static void executable(Path p, String script) throws IOException {
    write(p, script, BUILT);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @BeforeEach
  void tree() throws IOException {
    Instant before = BUILT.minusSeconds(60);
    Files.copy(SCRIPT, root.resolve("weft"));
    calls = root.resolve("calls");
    write(root.resolve("pom.xml"), "<project/>", before);
    write(root.resolve("weft-cli/pom.xml"), "<project/>", before);
    write(root.resolve("weft-runtime/pom.xml"), "<project/>", before);
    source = root.resolve("weft-runtime/src/main/java/dev/weft/runtime/A.java");
    write(source, "class A {}", before);
    write(root.resolve("weft-cli/src/main/java/dev/weft/cli/B.java"), "class B {}", before);
    for (Path d :
        List.of(
            root.resolve("weft-runtime/src/main/java/dev/weft/runtime"),
            root.resolve("weft-runtime/src/main/java/dev/weft"),
            root.resolve("weft-runtime/src/main/java/dev"),
            root.resolve("weft-runtime/src/main/java"),
            root.resolve("weft-runtime/src/main"),
            root.resolve("weft-cli/src/main/java/dev/weft/cli"),
            root.resolve("weft-cli/src/main/java/dev/weft"),
            root.resolve("weft-cli/src/main/java/dev"),
            root.resolve("weft-cli/src/main/java"),
            root.resolve("weft-cli/src/main"))) Files.setLastModifiedTime(d, FileTime.from(before));
    jar = root.resolve("weft-cli/target/weft.jar");
    write(jar, "jar", BUILT);
    // a stand-in Maven that records the build and writes a jar newer than everything
    executable(
        root.resolve("bin/mvn"),
        "#!/usr/bin/env bash\necho mvn >> '" + calls + "'\ntouch '" + jar + "'\n");
    jdk = root.resolve("jdk");
    executable(
        jdk.resolve("bin/java"), "#!/usr/bin/env bash\necho \"java $*\" >> '" + calls + "'\n");
    write(
        jdk.resolve("release"),
        "IMPLEMENTOR=\"Test\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\nJAVA_VERSION=\"25.0.3\"\n",
        BUILT);
  }

  private List<String> launch(String... args) throws Exception {
    Files.deleteIfExists(calls);
    ProcessBuilder pb = new ProcessBuilder();
    pb.command().add(root.resolve("weft").toString());
    pb.command().addAll(List.of(args));
    pb.environment().put("PATH", root.resolve("bin") + ":" + System.getenv("PATH"));
    pb.environment().put("WEFT_JAVA_HOME", jdk.toString());
    pb.environment().put("WEFT_ARCHIVE", "off");
    pb.environment().remove("WEFT_JAVA_OPTS");
    pb.redirectErrorStream(true).redirectOutput(root.resolve("out").toFile());
    int status = pb.start().waitFor();
    assertThat(status).as(Files.readString(root.resolve("out"))).isZero();
    return Files.readAllLines(calls);
  }

  @Test
  void anUpToDateJarRunsWithoutABuildOnThePickedJdk() throws Exception {
    List<String> calls = launch("exec", "m.wasm");
    assertThat(calls).hasSize(1);
    // the one-shot commands name the main class on the class path (the jar is opened once, not
    // twice); the servers keep -jar
    assertThat(calls.get(0))
        .startsWith("java ")
        .endsWith(" -cp " + jar + " dev.weft.cli.Main exec m.wasm");
    assertThat(launch("serve", "--port", "0"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .endsWith(" -jar " + jar + " serve --port 0");
  }

  @Test
  void anEditedSourceFileRebuilds() throws Exception {
    Files.setLastModifiedTime(source, FileTime.from(BUILT.plusSeconds(1)));
    assertThat(launch("exec", "m.wasm")).first().isEqualTo("mvn");
    // the build made the jar newer: the next run does not build again
    assertThat(launch("exec", "m.wasm")).noneMatch("mvn"::equals);
  }

  @Test
  void anAddedOrRemovedSourceFileRebuilds() throws Exception {
    // a file removed leaves only its directory newer than the jar
    Path dir = source.getParent();
    Files.setLastModifiedTime(dir, FileTime.from(BUILT.plusSeconds(1)));
    assertThat(launch("exec", "m.wasm")).first().isEqualTo("mvn");
  }

  @Test
  void anEditedPomRebuilds() throws Exception {
    Files.setLastModifiedTime(
        root.resolve("weft-cli/pom.xml"), FileTime.from(BUILT.plusSeconds(1)));
    assertThat(launch("exec", "m.wasm")).first().isEqualTo("mvn");
  }

  @Test
  void aMissingJarBuilds() throws Exception {
    Files.delete(jar);
    assertThat(launch("--version")).first().isEqualTo("mvn");
  }
}

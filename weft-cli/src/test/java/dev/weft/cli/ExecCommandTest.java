package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft exec} end to end, in-process: output, exit status and error wording. */
class ExecCommandTest {
  private static final Path EXAMPLES =
      Path.of(System.getProperty("weft.examples", "../examples/modules"));
  private static final String HELLO = EXAMPLES.resolve("hello/hello.wasm").toString();

  @Test
  void helloPrintsItsStdoutOnStdoutAndItsOutputParameterOnStderr(@TempDir Path cache) {
    Cli.Run r = Cli.weft("exec", HELLO, "-p", "name=World", "--cache-dir", cache.toString());

    assertThat(r.status()).isZero();
    assertThat(r.out()).isEqualTo("Hello, World!\n");
    assertThat(r.err()).isEqualTo("greeted World\ngreeting=Hello, World!\n");
  }

  @Test
  void plainWasiStdoutIsShownAsTheModuleWroteItAndTheSummaryGoesToStderr(@TempDir Path tmp)
      throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "one two three\n");
    Cli.Run r =
        Cli.weft(
            "exec",
            EXAMPLES.resolve("wc/wc.wasm").toString(),
            "--no-cache",
            "--artifact",
            "text=" + text,
            "--output-param",
            "words=/tmp/words.txt");

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("1 3 14\n");
    assertThat(r.err()).endsWith("words=3\n").doesNotContain("1 3 14");
  }

  @Test
  void moduleStderrGoesToStderrOnly() {
    Cli.Run r =
        Cli.weft("exec", EXAMPLES.resolve("adversarial/fail.wasm").toString(), "--no-cache", "3");

    assertThat(r.out()).doesNotContain("failing on purpose");
    assertThat(r.err())
        .startsWith("fail: failing on purpose with exit code 3\n")
        .endsWith("Failed: exited with code 3\n");
  }

  @Test
  void jsonPrintsOnlyTheResultOnStdoutAndNothingOnStderr() throws Exception {
    Cli.Run r =
        Cli.weft(
            "exec",
            EXAMPLES.resolve("adversarial/fail.wasm").toString(),
            "--no-cache",
            "--json",
            "3");

    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("stderr").asText()).contains("failing on purpose with exit code 3");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void jsonHelpSaysJson() {
    assertThat(Cli.weft("exec", "--help").out())
        .doesNotContain("Jackson")
        .contains("--json")
        .contains("as JSON on stdout");
  }

  @Test
  void dirsFirstGivesTheDirsTheFirstPreopens(@TempDir Path data) {
    String preopens = EXAMPLES.resolve("wasi-conformance/preopens.wasm").toString();
    Cli.Run r = Cli.weft("exec", preopens, "--no-cache", "--dirs-first", "--dir", data + ":/data");

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("3 /data\n4 /work\n5 /tmp\n");
  }

  @Test
  void engineAutoCompilesOnlyWhatTheDiskCacheAlreadyHolds(@TempDir Path cache) {
    Cli.Run cold =
        Cli.weft("exec", HELLO, "-p", "name=auto", "--json", "--cache-dir", cache.toString());
    Cli.Run filled =
        Cli.weft(
            "exec",
            HELLO,
            "-p",
            "name=auto",
            "--engine",
            "compiler",
            "--cache-dir",
            cache.toString());
    Cli.Run warm =
        Cli.weft("exec", HELLO, "-p", "name=auto", "--json", "--cache-dir", cache.toString());

    assertThat(cold.out()).contains("INTERPRETER").doesNotContain("COMPILER");
    assertThat(filled.status()).isZero();
    assertThat(warm.out()).contains("COMPILER").doesNotContain("INTERPRETER");
  }

  @Test
  void unknownEngineIsAUsageError() {
    Cli.Run r = Cli.weft("exec", HELLO, "--engine", "jit");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("--engine must be auto, interpreter, compiler or tiered, not 'jit'");
  }

  @Test
  void jsonPrintsTheWholeResult(@TempDir Path cache) throws Exception {
    Cli.Run r = Cli.weft("exec", HELLO, "-p", "name=JSON", "--json", "--no-cache");

    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("phase").asText()).isEqualTo("Succeeded");
    assertThat(j.at("/outputs/parameters/0/value").asText()).isEqualTo("Hello, JSON!");
    assertThat(j.at("/outputs/result").asText()).isEqualTo("Hello, JSON!");
    assertThat(j.at("/outputs/exitCode").asText()).isEqualTo("0");
    assertThat(j.at("/module/digest").asText()).startsWith("sha256:");
    assertThat(j.at("/timings/runMs").isNumber()).isTrue();
  }

  @Test
  void inputFileSuppliesParametersAndOptions(@TempDir Path tmp) throws Exception {
    Path input =
        Files.writeString(
            tmp.resolve("input.json"),
            "{\"workflow_name\":\"w\",\"parameters\":[{\"name\":\"name\",\"value\":\"from file\"}],\"plugin_options\":[{\"name\":\"o\",\"value\":{\"x\":1}}]}");
    Cli.Run r = Cli.weft("exec", HELLO, "--input-file", input.toString(), "--no-cache");

    assertThat(r.err()).endsWith("greeting=Hello, from file!\n");
  }

  @Test
  void failedTaskExitsOneAndShowsStderr() {
    Cli.Run r =
        Cli.weft("exec", EXAMPLES.resolve("adversarial/fail.wasm").toString(), "--no-cache", "7");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .contains("Failed: exited with code 7")
        .contains("failing on purpose with exit code 7");
  }

  @Test
  void timeoutFlagIsApplied() {
    Cli.Run r =
        Cli.weft(
            "exec",
            EXAMPLES.resolve("adversarial/loop.wasm").toString(),
            "--no-cache",
            "--timeout",
            "200ms");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("time limit of 200ms");
  }

  @Test
  void plainWasiOutputsAndArtifacts(@TempDir Path tmp) throws Exception {
    Path text = Files.writeString(tmp.resolve("t.txt"), "a b\n");
    Cli.Run r =
        Cli.weft(
            "exec",
            EXAMPLES.resolve("wc/wc.wasm").toString(),
            "--no-cache",
            "--artifact",
            "text=" + text,
            "--output-param",
            "words=/tmp/words.txt",
            "--output-artifact",
            "count=/tmp/words.txt",
            "--output-dir",
            tmp.resolve("out").toString());

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err())
        .contains("words=2\n")
        .contains("artifact count -> " + tmp.resolve("out/count") + " (1 B)");
    assertThat(Files.readString(tmp.resolve("out/count"))).isEqualTo("2");
  }

  @Test
  void moduleThatIsNotWasmExitsTwoNamingIt(@TempDir Path tmp) throws Exception {
    Path notWasm = Files.writeString(tmp.resolve("x.wasm"), "#!/bin/sh\n");
    Cli.Run r = Cli.weft("exec", notWasm.toString(), "--no-cache");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("'x.wasm' is not a WebAssembly binary");
  }

  @Test
  void missingModuleExitsTwo() {
    Cli.Run r = Cli.weft("exec", "/nope/missing.wasm", "--no-cache");

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("module file not found: /nope/missing.wasm");
  }

  @Test
  void badFlagValuesExitTwoNamingTheFlag() {
    assertThat(Cli.weft("exec", HELLO, "--memory", "lots").err())
        .contains("--memory")
        .contains("lots");
    assertThat(Cli.weft("exec", HELLO, "--timeout", "soon").err()).contains("--timeout");
    assertThat(Cli.weft("exec", HELLO, "--cache-size", "huge").err())
        .contains("--cache-size")
        .contains("huge");
    assertThat(Cli.weft("exec", HELLO, "--cache-size", "10KiB").err())
        .contains("--cache-size must be at least 1MiB");
    assertThat(Cli.weft("exec", HELLO, "-p", "novalue").err())
        .contains("--parameter expects NAME=VALUE");
    assertThat(Cli.weft("exec", HELLO, "--dir", "nocolon").status()).isEqualTo(2);
    assertThat(Cli.weft("exec", HELLO, "--bogus").status()).isEqualTo(2);
  }

  @Test
  void wrongSha256IsRefused() {
    Cli.Run r = Cli.weft("exec", HELLO, "--no-cache", "--sha256", "0".repeat(64));

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("digest mismatch");
  }
}

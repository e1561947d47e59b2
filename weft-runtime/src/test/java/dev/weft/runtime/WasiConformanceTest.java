package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * weft's WASI preview 1 conformance suite, driven by the files in
 * examples/modules/wasi-conformance: each {@code NAME.stdout} is the expected standard output of
 * {@code NAME.wasm} (optional {@code NAME.case}: {@code module}, {@code args}, {@code stdin},
 * {@code env.KEY}, {@code exit}). Every case runs on the in-memory sandbox (test directory {@code
 * /work}) and on a host directory mounted at {@code /data} (host-temp sandbox), each in the
 * interpreter and compiled. {@code -Dweft.conformance.record=true} writes the expected output of a
 * case whose checks all pass (for a new module; review the file before committing it).
 */
class WasiConformanceTest {
  static final Path DIR = Examples.ROOT.resolve("wasi-conformance");

  /** The two storages a WASI call can hit: Jimfs, and the host's file system through a mount. */
  enum Storage {
    MEMORY("/work"),
    HOST_MOUNT("/data");

    final String testDir;

    Storage(String testDir) {
      this.testDir = testDir;
    }
  }

  record Case(
      String name,
      Path module,
      List<String> args,
      byte[] stdin,
      Properties env,
      int exit,
      String stdout) {
    static Case load(Path expected) throws IOException {
      String name = expected.getFileName().toString().replaceFirst("\\.stdout$", "");
      Properties p = new Properties();
      Path props = DIR.resolve(name + ".case");
      if (Files.exists(props)) {
        try (Reader r = Files.newBufferedReader(props)) {
          p.load(r);
        }
      }
      Path module = DIR.resolve(p.getProperty("module", name + ".wasm"));
      if (!Files.exists(module))
        throw new IllegalStateException(
            "conformance module missing: " + module + " (run examples/modules/build.sh)");
      String args = p.getProperty("args", "").trim();
      Properties env = new Properties();
      p.stringPropertyNames().stream()
          .filter(k -> k.startsWith("env."))
          .forEach(k -> env.setProperty(k.substring(4), p.getProperty(k)));
      return new Case(
          name,
          module,
          args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+")),
          p.getProperty("stdin", "").getBytes(StandardCharsets.UTF_8),
          env,
          Integer.parseInt(p.getProperty("exit", "0")),
          Files.readString(expected));
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".stdout")).sorted().toList())
        out.add(Case.load(p));
    }
    assertThat(out).as("conformance cases in " + DIR).isNotEmpty();
    return out;
  }

  @TestFactory
  Stream<DynamicTest> everyCaseOnEveryStorageAndEngine() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Engine engine : List.of(Engine.INTERPRETER, Engine.COMPILER)) {
      for (Storage storage : Storage.values()) {
        WeftRuntime weft =
            WeftRuntime.builder()
                .engine(engine)
                .sandboxStorage(
                    storage == Storage.MEMORY ? SandboxStorage.MEMORY : SandboxStorage.HOST_TEMP)
                .build();
        for (Case c : cases()) {
          tests.add(
              DynamicTest.dynamicTest(
                  c.name() + " on " + storage + " (" + engine + ")", () -> run(weft, storage, c)));
        }
      }
    }
    return tests.stream();
  }

  static TaskResult run(WeftRuntime weft, Storage storage, Case c) throws IOException {
    Path mount =
        storage == Storage.HOST_MOUNT ? Files.createTempDirectory("weft-wasi-conformance-") : null;
    try {
      List<String> args = new ArrayList<>();
      args.add(storage.testDir);
      args.addAll(c.args());
      TaskSpec.Builder spec = TaskSpec.builder().args(args).stdin(c.stdin());
      c.env().stringPropertyNames().stream()
          .sorted()
          .forEach(k -> spec.env(k, c.env().getProperty(k)));
      if (mount != null) spec.mount(mount, storage.testDir);
      TaskResult r = weft.run(ModuleSource.file(c.module()), spec.build());
      if (Boolean.getBoolean("weft.conformance.record")
          && storage == Storage.MEMORY
          && !r.stdoutTail().contains("FAIL")) {
        // -Dweft.conformance.record=true: a new module's expected output, written once every check
        // passes
        Files.writeString(DIR.resolve(c.name() + ".stdout"), r.stdoutTail());
        return r;
      }

      assertThat(r.stdoutTail())
          .as("stdout of %s (%s; stderr: %s)", c.name(), r.message(), r.stderrTail())
          .isEqualTo(c.stdout());
      assertThat(r.exitCode()).as("exit code of %s (%s)", c.name(), r.message()).hasValue(c.exit());
      if (mount != null) {
        try (Stream<Path> left = Files.list(mount)) {
          assertThat(left).as("the module cleans up after itself on the host mount").isEmpty();
        }
      }
      return r;
    } finally {
      if (mount != null) deleteTree(mount);
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}

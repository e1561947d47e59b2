package dev.weft.bench;

import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.SandboxStorage;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A warm {@code hello} task in-process: write input.json into a fresh sandbox, instantiate the
 * cached compiled module, run {@code _start}, parse result.json. Sample mode reports p50/p99.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class HelloTaskBenchmark {
  @Param({"MEMORY", "HOST_TEMP"})
  public SandboxStorage storage;

  private WeftRuntime weft;
  private LoadedModule hello;
  private TaskSpec spec;

  @Setup
  public void setUp() {
    weft = WeftRuntime.builder().sandboxStorage(storage).build();
    hello = weft.load(ModuleSource.file(Modules.path("hello/hello.wasm")));
    spec = TaskSpec.builder().workflowName("bench").parameter("name", "World").build();
    TaskResult r = weft.run(hello, spec);
    if (!r.succeeded() || !r.outputParameter("greeting").orElse("").equals("Hello, World!")) {
      throw new IllegalStateException("hello did not succeed: " + r.message());
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public TaskResult latency() {
    return weft.run(hello, spec);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(2)
  public TaskResult throughputTwoThreads() {
    return weft.run(hello, spec);
  }

  /** Where the example modules are: -Dweft.examples=DIR, else ./examples/modules. */
  static final class Modules {
    static Path path(String rel) {
      return Path.of(System.getProperty("weft.examples", "examples/modules"))
          .resolve(rel)
          .toAbsolutePath();
    }
  }
}

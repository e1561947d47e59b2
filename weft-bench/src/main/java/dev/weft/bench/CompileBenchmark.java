package dev.weft.bench;

import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.nio.file.Files;
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
import org.openjdk.jmh.annotations.Warmup;

/** Load + parse + compile of one module into a fresh runtime (no cache hit), in a warm JVM. */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, batchSize = 1)
@Measurement(iterations = 15, batchSize = 1)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {
  @Param({"hello/hello.wasm", "wc/wc.wasm", "compute/compute.wasm", "reverse/reverse.wasm"})
  public String module;

  private byte[] bytes;

  @Setup
  public void setUp() throws IOException {
    bytes = Files.readAllBytes(HelloTaskBenchmark.Modules.path(module));
  }

  @Benchmark
  public LoadedModule compile() {
    return WeftRuntime.create().load(ModuleSource.bytes(module, bytes));
  }
}

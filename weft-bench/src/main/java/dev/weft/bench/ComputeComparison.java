package dev.weft.bench;

import dev.weft.runtime.Limits;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The compute suite: the same C kernels (examples/modules/compute) run natively (gcc -O2), under
 * weft (Chicory compiler, in-process) and under Node's {@code node:wasi} (V8), in one run on one
 * machine. Each program times its own kernel with CLOCK_MONOTONIC, so process and JVM start-up are
 * excluded; the figure per engine is the median of the steady-state repetitions (the first {@code
 * warm} are dropped), and the median over {@code rounds} interleaved rounds. Checksums must agree
 * across engines. (desaturate is 3072x3072: Node 20 segfaults at exit after a 3500x3500 run, once
 * its linear memory passes ~64 MiB, though its output is complete.)
 *
 * <p>Usage: {@code ComputeComparison NATIVE_BINARY COMPUTE_WASM RUN_NODE_MJS [rounds] [reps]
 * [warm]}
 */
public final class ComputeComparison {
  record Kernel(String name, String size) {}

  static final List<Kernel> KERNELS =
      List.of(
          new Kernel("fib", "35"),
          new Kernel("desaturate", "3072"),
          new Kernel("sha256", "16777216"));

  record Run(double medianMs, String checksum) {}

  public static void main(String[] a) throws Exception {
    if (a.length < 3) {
      System.err.println(
          "usage: ComputeComparison NATIVE_BINARY COMPUTE_WASM RUN_NODE_MJS [rounds] [reps] [warm]");
      System.exit(2);
    }
    Path nativeBin = Path.of(a[0]);
    Path wasm = Path.of(a[1]);
    Path runNode = Path.of(a[2]);
    int rounds = a.length > 3 ? Integer.parseInt(a[3]) : 3;
    int reps = a.length > 4 ? Integer.parseInt(a[4]) : 15;
    int warm = a.length > 5 ? Integer.parseInt(a[5]) : 5;

    WeftRuntime weft = WeftRuntime.create();
    LoadedModule module = weft.load(ModuleSource.file(wasm));
    Limits limits = Limits.defaults().withMemoryBytes(1L << 30).withTimeout(Duration.ofMinutes(10));

    StringBuilder csv =
        new StringBuilder(
            "kernel,size,native_ms,weft_ms,node_ms,weft_over_native,node_over_native,weft_over_node\n");
    System.out.printf(
        Locale.ROOT,
        "%-11s %10s %10s %10s %12s %12s %10s%n",
        "kernel",
        "native ms",
        "weft ms",
        "node ms",
        "weft/native",
        "node/native",
        "weft/node");
    double logWeft = 0, logNode = 0, logWeftNode = 0;
    for (Kernel k : KERNELS) {
      List<String> args = List.of(k.name(), k.size(), String.valueOf(reps));
      double[] nat = new double[rounds], wft = new double[rounds], nod = new double[rounds];
      String checksum = null;
      for (int r = 0; r < rounds; r++) {
        List<String> cmd = new ArrayList<>(List.of(nativeBin.toString()));
        cmd.addAll(args);
        Run n = parse(exec(cmd, false), warm, "native");
        TaskResult t = weft.run(module, TaskSpec.builder().args(args).limits(limits).build());
        if (!t.succeeded())
          throw new IllegalStateException("weft " + k + ": " + t.message() + " " + t.stderrTail());
        Run w = parse(t.stdoutTail(), warm, "weft");
        Path work = Files.createTempDirectory("weft-node-");
        List<String> nodeCmd =
            new ArrayList<>(
                List.of(
                    "node", "--no-warnings", runNode.toString(), wasm.toString(), work.toString()));
        nodeCmd.addAll(args);
        Run o = parse(exec(nodeCmd, true), warm, "node");
        for (Run x : List.of(w, o)) {
          if (!x.checksum().equals(n.checksum()))
            throw new IllegalStateException(
                k + ": checksum " + x.checksum() + " != native " + n.checksum());
        }
        checksum = n.checksum();
        nat[r] = n.medianMs();
        wft[r] = w.medianMs();
        nod[r] = o.medianMs();
      }
      double nm = median(nat), wm = median(wft), om = median(nod);
      logWeft += Math.log(wm / nm);
      logNode += Math.log(om / nm);
      logWeftNode += Math.log(wm / om);
      System.out.printf(
          Locale.ROOT,
          "%-11s %10.2f %10.2f %10.2f %12.2f %12.2f %10.2f   (checksum %s)%n",
          k.name() + " " + k.size(),
          nm,
          wm,
          om,
          wm / nm,
          om / nm,
          wm / om,
          checksum);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,%s,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f%n",
              k.name(),
              k.size(),
              nm,
              wm,
              om,
              wm / nm,
              om / nm,
              wm / om));
    }
    int n = KERNELS.size();
    System.out.printf(
        Locale.ROOT,
        "geometric mean: weft/native %.2f, node/native %.2f, weft/node %.2f%n",
        Math.exp(logWeft / n),
        Math.exp(logNode / n),
        Math.exp(logWeftNode / n));
    String out = System.getProperty("csv");
    if (out != null) Files.writeString(Path.of(out), csv.toString());
  }

  /**
   * Runs a command and returns its stdout. Node 20 sometimes segfaults while exiting after a run
   * with a large linear memory; with {@code tolerateCrashAtExit} its output counts if it is
   * complete (ends with the checksum line), and the crash is reported.
   */
  static String exec(List<String> cmd, boolean tolerateCrashAtExit)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    if (code != 0) {
      if (tolerateCrashAtExit && code == 139 && out.contains("\nchecksum ")) {
        System.err.println(
            "note: "
                + cmd.get(0)
                + " crashed (SIGSEGV) while exiting after complete output; its timings are used");
        return out;
      }
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + code);
    }
    return out;
  }

  static Run parse(String out, int warm, String who) {
    List<Double> reps = new ArrayList<>();
    String checksum = null;
    for (String line : out.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && f[0].equals("rep")) reps.add(Long.parseLong(f[2]) / 1e6);
      if (f.length == 2 && f[0].equals("checksum")) checksum = f[1];
    }
    if (reps.size() <= warm || checksum == null)
      throw new IllegalStateException(who + ": unexpected output:\n" + out);
    double[] steady =
        reps.subList(warm, reps.size()).stream().mapToDouble(Double::doubleValue).toArray();
    return new Run(median(steady), checksum);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}

package dev.weft.cli;

import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.OutputArtifact;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.TaskResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders a task result for people (default) or scripts ({@code --json}). */
final class ResultPrinter {
  private final PrintWriter out;
  private final PrintWriter err;

  ResultPrinter(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /**
   * As wasmtime does: the module's stdout on stdout and its stderr on stderr, then weft's own
   * summary (phase, message, outputs) on stderr. With {@code json}, only the whole result on
   * stdout.
   */
  void print(TaskResult r, LoadedModule m, boolean json) {
    if (json) {
      try {
        out.println(
            Jackson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(asJson(r, m)));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      out.flush();
      return;
    }
    out.print(r.stdoutTail());
    out.flush();
    err.print(r.stderrTail());
    if (!r.stderrTail().isEmpty() && !r.stderrTail().endsWith("\n"))
      err.println(); // weft's summary starts a line of its own
    if (r.stdoutTruncated())
      err.println("weft exec: the module's stdout went over its limit; only its tail is shown");
    if (r.stderrTruncated())
      err.println("weft exec: the module's stderr went over its limit; only its tail is shown");
    if (r.succeeded()) {
      if (!r.message().isEmpty()) err.println(TerminalText.line(r.message()));
    } else {
      err.println(r.phase() + ": " + TerminalText.line(r.message()));
    }
    for (OutputParameter p : r.outputParameters())
      err.println(TerminalText.line(p.name()) + "=" + TerminalText.block(p.value()));
    for (OutputArtifact a : r.outputArtifacts()) {
      err.println(
          "artifact "
              + TerminalText.line(a.name())
              + " -> "
              + TerminalText.line(a.file().toString())
              + " ("
              + Sizes.human(a.sizeBytes())
              + ")");
    }
    err.flush();
  }

  static Map<String, Object> asJson(TaskResult r, LoadedModule m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("phase", r.phase().name());
    j.put("message", r.message());
    j.put("failure", r.failure().map(Enum::name).orElse(null));
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put(
        "parameters",
        r.outputParameters().stream()
            .map(p -> ordered("name", p.name(), "value", p.value()))
            .toList());
    outputs.put(
        "artifacts",
        r.outputArtifacts().stream()
            .map(
                a ->
                    ordered(
                        "name",
                        a.name(),
                        "path",
                        a.path(),
                        "file",
                        a.file().toString(),
                        "size",
                        a.sizeBytes()))
            .toList());
    outputs.put("result", r.result());
    outputs.put(
        "exitCode", r.exitCode().isPresent() ? String.valueOf(r.exitCode().getAsInt()) : null);
    j.put("outputs", outputs);
    j.put("stdout", r.stdoutTail());
    j.put("stdoutTruncated", r.stdoutTruncated());
    j.put("stderr", r.stderrTail());
    j.put("stderrTruncated", r.stderrTruncated());
    j.put("peakMemoryBytes", r.peakMemoryBytes());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("loadMs", ms(m.loadNanos()));
    t.put("compileMs", ms(m.compileNanos()));
    t.put("instantiateMs", ms(r.timings().instantiateNanos()));
    t.put("runMs", ms(r.timings().runNanos()));
    t.put("collectMs", ms(r.timings().collectNanos()));
    j.put("timings", t);
    j.put(
        "module",
        ordered(
            "name",
            m.name(),
            "digest",
            m.digest(),
            "engine",
            m.engine().name(),
            "sizeBytes",
            m.sizeBytes()));
    return j;
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}

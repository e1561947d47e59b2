package dev.weft.runtime.internal.contract;

import dev.weft.runtime.FailureKind;
import dev.weft.runtime.Limits;
import dev.weft.runtime.OutputArtifact;
import dev.weft.runtime.OutputArtifactSpec;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.OutputParameterSpec;
import dev.weft.runtime.Phase;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.Timings;
import dev.weft.runtime.internal.compile.CompiledWasm;
import dev.weft.runtime.internal.run.Ending;
import dev.weft.runtime.internal.run.TailBuffer;
import dev.weft.runtime.internal.sandbox.Copy;
import dev.weft.runtime.internal.sandbox.Sandbox;
import dev.weft.runtime.internal.sandbox.SandboxEscapeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Applies the module contract after the run: result.json (contract v1) or exit code and stdout
 * (plain WASI), declared output parameters and artifacts, all confined to the sandbox.
 */
public final class Outputs {
  /** Argo keeps the last 256 kB of stdout as {@code outputs.result}. */
  static final int RESULT_BYTES = 256 * 1024;

  /** Argo's artifact name rule; it also keeps names safe as host file names. */
  private static final Pattern ARTIFACT_NAME = Pattern.compile("[-a-zA-Z0-9_{}.]+");

  private Outputs() {}

  /** A contract breach found while collecting; becomes a Failed result. */
  private static final class Breach extends Exception {
    final FailureKind kind;

    Breach(FailureKind kind, String message) {
      super(message, null, false, false);
      this.kind = kind;
    }
  }

  public static TaskResult collect(
      CompiledWasm m,
      TaskSpec spec,
      Sandbox sandbox,
      Ending ending,
      TailBuffer stdout,
      TailBuffer stderr,
      long peak,
      Timings t) {
    long c0 = System.nanoTime();
    byte[] out = stdout.bytes();
    String result = argoResult(out);
    Phase phase;
    String message;
    Optional<FailureKind> failure = ending.failure();
    List<OutputParameter> params = new ArrayList<>();
    List<OutputArtifact> artifacts = new ArrayList<>();
    if (failure.isPresent()) {
      phase = failure.get() == FailureKind.INTERNAL ? Phase.Error : Phase.Failed;
      message = ending.message();
    } else if (ending.exitCode().getAsInt() != 0) {
      phase = Phase.Failed;
      failure = Optional.of(FailureKind.EXIT_CODE);
      message = "exited with code " + ending.exitCode().getAsInt();
    } else {
      try {
        Optional<ContractFiles.Result> reported =
            ContractFiles.readResult(
                sandbox.work(),
                spec.limits().maxResultJsonBytes(),
                spec.limits().maxOutputParameterBytes());
        phase = reported.map(ContractFiles.Result::phase).orElse(Phase.Succeeded);
        message = reported.map(ContractFiles.Result::message).orElse("");
        if (phase != Phase.Succeeded) failure = Optional.of(FailureKind.MODULE_REPORTED);
        reported.ifPresent(r -> params.addAll(r.parameters()));
        if (phase == Phase.Succeeded) {
          declaredParameters(spec, sandbox, params);
          exportArtifacts(
              spec,
              sandbox,
              reported.map(ContractFiles.Result::artifacts).orElse(List.of()),
              artifacts);
        }
      } catch (ContractFiles.ResultException e) {
        phase = Phase.Failed;
        failure =
            Optional.of(e.tooLarge() ? FailureKind.OUTPUT_TOO_LARGE : FailureKind.RESULT_INVALID);
        message = e.getMessage();
      } catch (Breach e) {
        phase = Phase.Failed;
        failure = Optional.of(e.kind);
        message = e.getMessage();
      } catch (IOException e) {
        phase = Phase.Error;
        failure = Optional.of(FailureKind.INTERNAL);
        message = "cannot read the task's outputs: " + e;
      }
    }
    if (phase != Phase.Succeeded) {
      artifacts.clear();
    }
    Timings timings =
        new Timings(
            t.loadNanos(),
            t.compileNanos(),
            t.instantiateNanos(),
            t.runNanos(),
            System.nanoTime() - c0);
    return new TaskResult(
        phase,
        message,
        failure,
        params,
        artifacts,
        result,
        ending.exitCode(),
        new String(out, StandardCharsets.UTF_8),
        stdout.truncated(),
        stderr.text(),
        stderr.truncated(),
        peak,
        timings,
        m.digest(),
        m.engine());
  }

  private static void declaredParameters(
      TaskSpec spec, Sandbox sandbox, List<OutputParameter> params) throws Breach, IOException {
    Map<String, OutputParameter> byName = new LinkedHashMap<>();
    for (OutputParameter p : params) byName.put(p.name(), p);
    for (OutputParameterSpec d : spec.outputParameters()) {
      if (byName.containsKey(d.name())) continue;
      Optional<String> value = Optional.empty();
      if (d.path().isPresent()) {
        Path file = resolve(sandbox, d.path().get(), "output parameter '" + d.name() + "'");
        if (Files.isRegularFile(file)) {
          value = Optional.of(readParameterFile(file, d, spec.limits()));
        } else if (Files.exists(file)) {
          throw new Breach(
              FailureKind.RESULT_INVALID,
              "output parameter '" + d.name() + "': " + d.path().get() + " is not a regular file");
        }
      }
      if (value.isEmpty()) value = d.defaultValue();
      if (value.isEmpty()) {
        throw new Breach(
            FailureKind.OUTPUT_MISSING,
            "output parameter '"
                + d.name()
                + "' was not produced: "
                + (d.path().isPresent()
                    ? d.path().get() + " does not exist"
                    : "result.json does not report it")
                + " and it has no default");
      }
      OutputParameter p = new OutputParameter(d.name(), value.get());
      byName.put(d.name(), p);
      params.add(p);
    }
  }

  private static String readParameterFile(Path file, OutputParameterSpec d, Limits limits)
      throws Breach, IOException {
    long size = Files.size(file);
    if (size > limits.maxOutputParameterBytes()) {
      throw new Breach(
          FailureKind.OUTPUT_TOO_LARGE,
          "output parameter '"
              + d.name()
              + "' ("
              + d.path().get()
              + ") is "
              + size
              + " bytes, over the output parameter limit of "
              + Limits.formatBytes(limits.maxOutputParameterBytes())
              + " (limits.maxOutputParameter)");
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new Breach(
          FailureKind.RESULT_INVALID,
          "output parameter '" + d.name() + "' (" + d.path().get() + ") is not valid UTF-8 text");
    }
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s; // Argo trims one trailing newline
  }

  private static void exportArtifacts(
      TaskSpec spec,
      Sandbox sandbox,
      List<ContractFiles.ArtifactRef> reported,
      List<OutputArtifact> artifacts)
      throws Breach, IOException {
    if (reported.isEmpty() && spec.outputArtifacts().isEmpty()) return;
    Path dir =
        spec.outputDir().isPresent()
            ? Files.createDirectories(spec.outputDir().get())
            : Files.createTempDirectory("weft-out-");
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (ContractFiles.ArtifactRef a : reported) {
      // Contract v1: the path is relative to /work/artifacts-out, minus one leading "/".
      String rel = a.path().startsWith("/") ? a.path().substring(1) : a.path();
      String where = "output artifact '" + a.name() + "' path '" + a.path() + "'";
      if (rel.startsWith("/") || rel.isEmpty()) {
        throw new Breach(
            FailureKind.OUTPUT_ESCAPES_SANDBOX, where + " escapes /work/artifacts-out");
      }
      if (java.nio.file.Path.of(rel).normalize().toString().isEmpty()) {
        throw new Breach(
            FailureKind.RESULT_INVALID,
            where + " names /work/artifacts-out itself, not a file or directory in it");
      }
      Path src;
      try {
        src = sandbox.resolveUnder(Sandbox.WORK + "/" + ContractFiles.ARTIFACTS_OUT, rel, a.path());
      } catch (SandboxEscapeException e) {
        throw new Breach(
            FailureKind.OUTPUT_ESCAPES_SANDBOX,
            "output artifact '" + a.name() + "': " + e.getMessage());
      }
      artifacts.add(export(a.name(), a.path(), src, "/work/artifacts-out/" + rel, dir, seen));
    }
    for (OutputArtifactSpec d : spec.outputArtifacts()) {
      if (seen.contains(d.name())) continue;
      Path src = resolve(sandbox, d.path(), "output artifact '" + d.name() + "'");
      artifacts.add(export(d.name(), d.path(), src, d.path(), dir, seen));
    }
  }

  private static OutputArtifact export(
      String name, String path, Path src, String guestPath, Path dir, java.util.Set<String> seen)
      throws Breach, IOException {
    if (!ARTIFACT_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new Breach(
          FailureKind.RESULT_INVALID,
          "output artifact name '" + name + "' is not valid (allowed: letters, digits, - _ . { })");
    }
    if (!seen.add(name)) {
      throw new Breach(
          FailureKind.RESULT_INVALID, "output artifact '" + name + "' is reported twice");
    }
    if (!Files.exists(src, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new Breach(
          FailureKind.OUTPUT_MISSING,
          "output artifact '" + name + "': " + guestPath + " does not exist");
    }
    Path target = dir.resolve(name);
    Sandbox.deleteTree(target); // a rerun into the same directory replaces the earlier output
    try {
      long size = Copy.outOfSandbox(src, target, guestPath);
      return new OutputArtifact(name, path, target, size);
    } catch (SandboxEscapeException e) {
      throw new Breach(
          FailureKind.OUTPUT_ESCAPES_SANDBOX, "output artifact '" + name + "': " + e.getMessage());
    }
  }

  private static Path resolve(Sandbox sandbox, String guestPath, String what) throws Breach {
    try {
      return sandbox.resolve(guestPath);
    } catch (SandboxEscapeException e) {
      throw new Breach(FailureKind.OUTPUT_ESCAPES_SANDBOX, what + ": " + e.getMessage());
    }
  }

  /** stdout minus one trailing newline, at most its last 256 kB: Argo's {@code outputs.result}. */
  public static String argoResult(byte[] out) {
    int end = out.length;
    if (end > 0 && out[end - 1] == '\n') end--;
    int start = Math.max(0, end - RESULT_BYTES);
    return new String(Arrays.copyOfRange(out, start, end), StandardCharsets.UTF_8);
  }
}

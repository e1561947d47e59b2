package dev.weft.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a task produced. Task failures are results, not exceptions: {@code phase} says how it ended,
 * {@code failure} why, and {@code message} explains it in words naming what was wrong.
 *
 * @param result stdout with one trailing newline removed, at most its last 256 KiB (Argo's rule for
 *     {@code outputs.result})
 * @param exitCode the WASI exit code; empty when the module trapped or was interrupted
 * @param stdoutTail the last {@code limits.maxStdoutBytes} of stdout
 * @param stdoutTruncated whether the module wrote more to stdout than was kept
 * @param peakMemoryBytes the module's linear memory at its largest (wasm memory never shrinks)
 * @param engine the engine that ran the task to its end (the tiered engine restarts a task still in
 *     the interpreter on compiled code when that is ready)
 */
public record TaskResult(
    Phase phase,
    String message,
    Optional<FailureKind> failure,
    List<OutputParameter> outputParameters,
    List<OutputArtifact> outputArtifacts,
    String result,
    OptionalInt exitCode,
    String stdoutTail,
    boolean stdoutTruncated,
    String stderrTail,
    boolean stderrTruncated,
    long peakMemoryBytes,
    Timings timings,
    String moduleDigest,
    Engine engine) {

  public TaskResult {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(failure, "failure");
    outputParameters = List.copyOf(outputParameters);
    outputArtifacts = List.copyOf(outputArtifacts);
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(timings, "timings");
    Objects.requireNonNull(engine, "engine");
  }

  /** This result with another message. */
  public TaskResult withMessage(String newMessage) {
    return new TaskResult(
        phase,
        newMessage,
        failure,
        outputParameters,
        outputArtifacts,
        result,
        exitCode,
        stdoutTail,
        stdoutTruncated,
        stderrTail,
        stderrTruncated,
        peakMemoryBytes,
        timings,
        moduleDigest,
        engine);
  }

  /** This result with another phase, failure kind and message: a task the collect stage failed. */
  public TaskResult withOutcome(
      Phase newPhase, Optional<FailureKind> newFailure, String newMessage) {
    return new TaskResult(
        newPhase,
        newMessage,
        newFailure,
        outputParameters,
        outputArtifacts,
        result,
        exitCode,
        stdoutTail,
        stdoutTruncated,
        stderrTail,
        stderrTruncated,
        peakMemoryBytes,
        timings,
        moduleDigest,
        engine);
  }

  public boolean succeeded() {
    return phase == Phase.Succeeded;
  }

  /** The output parameter with this name, if the task produced one. */
  public Optional<String> outputParameter(String name) {
    return outputParameters.stream()
        .filter(p -> p.name().equals(name))
        .map(OutputParameter::value)
        .findFirst();
  }
}

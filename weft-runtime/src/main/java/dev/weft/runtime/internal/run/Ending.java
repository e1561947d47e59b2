package dev.weft.runtime.internal.run;

import dev.weft.runtime.FailureKind;
import java.util.Optional;
import java.util.OptionalInt;

/** How the call to {@code _start} ended: an exit code, or a failure and its message. */
public record Ending(OptionalInt exitCode, Optional<FailureKind> failure, String message) {
  public static Ending exit(int code) {
    return new Ending(OptionalInt.of(code), Optional.empty(), "");
  }

  public static Ending failed(FailureKind kind, String message) {
    return new Ending(OptionalInt.empty(), Optional.of(kind), message);
  }

  /** Whether the module failed: a failure, or a non-zero exit code. */
  public boolean failedAtAll() {
    return failure.isPresent() || (exitCode.isPresent() && exitCode.getAsInt() != 0);
  }

  /** "exit code N", or the failure's message. */
  public String cause() {
    return failure.isPresent() ? message : "exit code " + exitCode.getAsInt();
  }
}

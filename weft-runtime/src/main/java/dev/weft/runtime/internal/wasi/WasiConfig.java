package dev.weft.runtime.internal.wasi;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one task's WASI host gives the module: arguments, environment, standard streams and
 * preopened directories, in the order they get file descriptors (from 3).
 */
public record WasiConfig(
    List<String> args,
    List<Map.Entry<String, String>> env,
    InputStream stdin,
    OutputStream stdout,
    OutputStream stderr,
    List<Preopen> preopens,
    SandboxSpace space) {

  /** A directory preopened as {@code guestPath}. */
  public record Preopen(String guestPath, Path hostPath) {
    public Preopen {
      Objects.requireNonNull(guestPath, "guestPath");
      Objects.requireNonNull(hostPath, "hostPath");
    }
  }

  public WasiConfig {
    args = List.copyOf(args);
    env = List.copyOf(env);
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
    preopens = List.copyOf(preopens);
    Objects.requireNonNull(space, "space");
  }

  /** A configuration whose new entries are not charged. */
  public WasiConfig(
      List<String> args,
      List<Map.Entry<String, String>> env,
      InputStream stdin,
      OutputStream stdout,
      OutputStream stderr,
      List<Preopen> preopens) {
    this(args, env, stdin, stdout, stderr, preopens, SandboxSpace.NONE);
  }
}

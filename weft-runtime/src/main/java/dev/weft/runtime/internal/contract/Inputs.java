package dev.weft.runtime.internal.contract;

import dev.weft.runtime.InputArtifact;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.internal.sandbox.Copy;
import dev.weft.runtime.internal.sandbox.GuestPaths;
import dev.weft.runtime.internal.sandbox.Sandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stage-inputs stage: input artifacts under {@code /work/artifacts-in} (contract v1) and at
 * their declared paths (as in a container), and {@code /work/input.json}.
 */
public final class Inputs {
  private Inputs() {}

  public static void stage(Sandbox sandbox, TaskSpec spec) throws IOException {
    Path work = sandbox.work();
    Path in = Files.createDirectory(work.resolve(ContractFiles.ARTIFACTS_IN));
    Files.createDirectory(work.resolve(ContractFiles.ARTIFACTS_OUT));
    for (InputArtifact a : spec.inputArtifacts()) {
      String rel = a.path().startsWith("/") ? a.path().substring(1) : a.path();
      Path target =
          sandbox.resolveUnder(Sandbox.WORK + "/" + ContractFiles.ARTIFACTS_IN, rel, a.path());
      if (target.equals(in))
        throw new IOException("input artifact '" + a.name() + "' has an empty path");
      Files.createDirectories(target.getParent());
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(
            "input artifact '"
                + a.name()
                + "': "
                + a.path()
                + " is already taken by another input artifact");
      }
      Copy.intoSandbox(a.source(), target);
      if (a.path().startsWith("/")) {
        String norm = GuestPaths.normalizeAbsolute(a.path());
        // directly under "/" (/art) only when the sandbox preopened its root for it
        if (norm.indexOf('/', 1) > 0 || (!norm.equals("/") && sandbox.preopens().containsKey("/")))
          placeAtDeclaredPath(sandbox, a, target);
      }
    }
    ContractFiles.writeInput(work, spec);
  }

  /**
   * Argo's contract: the input is also at its declared path (e.g. /tmp/message), so unmodified
   * programs find it. A hard link where the file system allows it, else a copy.
   */
  private static void placeAtDeclaredPath(Sandbox sandbox, InputArtifact a, Path staged)
      throws IOException {
    Path declared = sandbox.resolveOwn(a.path());
    if (Files.exists(declared, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "input artifact '"
              + a.name()
              + "': "
              + a.path()
              + " is already taken (by another input artifact or the sandbox)");
    }
    Files.createDirectories(declared.getParent());
    if (Files.isRegularFile(staged, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createLink(declared, staged);
        return;
      } catch (UnsupportedOperationException | IOException e) {
        // fall through to a copy
      }
    }
    Copy.intoSandbox(staged, declared);
  }

  /**
   * Absolute guest paths of the task's artifacts, so the sandbox can give them a directory. Output
   * parameter paths are not among them: they must lie in /work, /tmp or an artifact's directory, so
   * a stray path still fails as outside the sandbox.
   */
  public static List<String> declaredPaths(TaskSpec spec) {
    List<String> paths = new ArrayList<>();
    for (InputArtifact a : spec.inputArtifacts()) paths.add(a.path());
    for (var o : spec.outputArtifacts()) paths.add(o.path());
    return paths;
  }
}

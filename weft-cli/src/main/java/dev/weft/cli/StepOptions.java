package dev.weft.cli;

import dev.weft.argo.ArtifactSettings;
import dev.weft.argo.StepSettings;
import dev.weft.artifacts.ArtifactRepository;
import dev.weft.runtime.Engine;
import dev.weft.runtime.Limits;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What {@code plugin: wasm:} steps are configured with, as flags: the same names and meanings as
 * {@code weft serve}'s, so {@code weft agent} supports everything {@code weft serve} does.
 */
final class StepOptions {
  // declared in the order weft serve --help and weft agent --help list them
  @Mixin RegistryOptions registry;

  @Option(
      names = "--module-dir",
      paramLabel = "DIR",
      description = "Where module: {file: …} paths resolve (default: file modules disabled).")
  Path moduleDir;

  @Mixin CacheOptions cache;

  @Option(names = "--no-cache", description = "Keep compiled modules in memory only.")
  boolean noCache;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      description = "Memory limit per task, the most a step may ask for (default 256MiB).")
  String memory;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      description = "Time limit per task, the most a step may ask for (default 60s).")
  String timeout;

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      description = {
        "How module code runs: tiered (default: a new module's first steps start at once in the interpreter and move to compiled code when it is ready),",
        "compiler (compile first) or interpreter."
      })
  String engine = "tiered";

  @Mixin ArtifactRepositoryOptions repository;

  @Option(
      names = "--artifact-dir",
      paramLabel = "DIR",
      description = "Use a local directory as the artifact repository (one machine).")
  Path artifactDir;

  @Option(
      names = "--artifact-allow-url",
      paramLabel = "PREFIX",
      description =
          "URL prefix that http artifacts and s3 artifacts on other endpoints may use (repeatable; default none).")
  List<String> artifactAllowUrls = new ArrayList<>();

  @Option(
      names = "--artifact-max-size",
      paramLabel = "SIZE",
      description =
          "Largest input or output artifact (default: the sandbox limit, from the heap; at most 1GiB).")
  String artifactMaxSize;

  @Option(
      names = "--artifact-lazy-threshold",
      paramLabel = "SIZE",
      description =
          "Un-archived S3 inputs this large are read by range on demand (default 64MiB; 'off' to always download).")
  String artifactLazyThreshold;

  @Mixin CapabilityOptions capabilities;

  /**
   * @param command the command's name, for messages
   * @param err where a cache that cannot be written is reported
   * @throws IllegalArgumentException naming the flag at fault
   */
  StepSettings settings(String command, PrintWriter err) throws IOException {
    if (moduleDir != null && !Files.isDirectory(moduleDir))
      throw new IllegalArgumentException("--module-dir " + moduleDir + " is not a directory");
    Limits limits = Limits.defaults();
    if (memory != null) limits = limits.withMemoryBytes(Limits.parseBytes("--memory", memory));
    if (timeout != null) limits = limits.withTimeout(Limits.parseDuration("--timeout", timeout));
    return new StepSettings(
        Optional.ofNullable(moduleDir),
        writableCache(command, err),
        cache.maxBytes(),
        limits,
        registry.settings(Duration.ofSeconds(60)),
        artifacts(),
        engine(),
        capabilities.ceiling());
  }

  /** The --timeout limit, or the default: the ceiling of every step. */
  Duration taskTimeout() {
    return timeout == null
        ? Limits.defaults().timeout()
        : Limits.parseDuration("--timeout", timeout);
  }

  private Engine engine() {
    switch (engine) {
      case "tiered":
        return Engine.TIERED;
      case "compiler":
        return Engine.COMPILER;
      case "interpreter":
        return Engine.INTERPRETER;
      default:
        throw new IllegalArgumentException(
            "--engine must be tiered, compiler or interpreter, got '" + engine + "'");
    }
  }

  private ArtifactSettings artifacts() {
    ArtifactSettings a = ArtifactSettings.none().withAllowedUrls(artifactAllowUrls);
    long max =
        artifactMaxSize == null
            ? ArtifactSettings.DEFAULT_MAX_ARTIFACT_BYTES
            : Limits.parseBytes("--artifact-max-size", artifactMaxSize);
    long lazy =
        artifactLazyThreshold == null
            ? ArtifactSettings.DEFAULT_LAZY_THRESHOLD
            : artifactLazyThreshold.equals("off")
                ? Long.MAX_VALUE
                : Limits.parseBytes("--artifact-lazy-threshold", artifactLazyThreshold);
    a = a.withLimits(max, lazy);
    if (repository.given() && artifactDir != null)
      throw new IllegalArgumentException(
          "give either --artifact-repository or --artifact-dir, not both");
    // the env form is for Argo's plugin container (env.valueFrom.configMapKeyRef): sidecars cannot
    // mount volumes
    Optional<ArtifactRepository> repo =
        repository.repository(
            artifactDir == null
                ? Optional.ofNullable(System.getenv("WEFT_ARTIFACT_REPOSITORY"))
                : Optional.empty());
    if (repo.isPresent())
      return a.withRepository(repo.get(), repository.secretsDir(), System.getenv());
    if (artifactDir != null) return a.withLocalDir(artifactDir);
    return a;
  }

  /**
   * The disk cache if it can be written. An agent pod's sidecar often has a read-only file system
   * and lives for one workflow: then compiled modules stay in memory, which is said once.
   */
  private Optional<Path> writableCache(String command, PrintWriter err) {
    if (noCache) return Optional.empty();
    Path dir = cache.root();
    try {
      Files.createDirectories(dir);
      if (Files.isWritable(dir)) return Optional.of(dir);
    } catch (IOException e) {
      // fall through
    }
    err.println(
        command
            + ": cache directory "
            + dir
            + " is not writable; compiled modules are kept in memory only");
    return Optional.empty();
  }
}

package dev.weft.plugin;

import dev.weft.argo.ArtifactSettings;
import dev.weft.argo.CapabilityCeiling;
import dev.weft.argo.RegistrySettings;
import dev.weft.argo.StepSettings;
import dev.weft.runtime.Engine;
import dev.weft.runtime.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code weft serve} is configured with; built once and then fixed.
 *
 * @param token the bearer token the agent must send; empty only with {@code --insecure-no-auth}
 * @param requeueAfter a task still running after this is answered {@code Running}
 * @param requeue the duration Argo waits before asking again
 * @param keepResults how long finished (successful) replies are returned to repeated requests
 * @param moduleDir where {@code module: {file: …}} paths resolve; empty disables file modules
 * @param limits the ceiling and default for every step
 * @param registries how {@code module: {oci: …}} references are pulled
 * @param artifacts the artifact repository and its limits
 * @param cacheMaxBytes the most each disk cache under {@code cacheDir} may hold
 * @param engine how module code runs; tiered (the default) answers a new module's first steps
 *     without waiting for the compiler
 * @param capabilities what steps' {@code permissions} may be granted at most (none by default)
 */
public record ServerConfig(
    String host,
    int port,
    Optional<String> token,
    int workers,
    int queue,
    Duration requeueAfter,
    Duration requeue,
    Duration keepResults,
    Optional<Path> moduleDir,
    Optional<Path> cacheDir,
    Limits limits,
    RegistrySettings registries,
    ArtifactSettings artifacts,
    Engine engine,
    long cacheMaxBytes,
    CapabilityCeiling capabilities) {

  /** Without capabilities: steps may be granted none. */
  public ServerConfig(
      String host,
      int port,
      Optional<String> token,
      int workers,
      int queue,
      Duration requeueAfter,
      Duration requeue,
      Duration keepResults,
      Optional<Path> moduleDir,
      Optional<Path> cacheDir,
      Limits limits,
      RegistrySettings registries,
      ArtifactSettings artifacts,
      Engine engine,
      long cacheMaxBytes) {
    this(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        CapabilityCeiling.none());
  }

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535)
      throw new IllegalArgumentException("--port must be 0-65535, got " + port);
    Objects.requireNonNull(token, "token");
    if (token.isPresent() && token.get().isBlank())
      throw new IllegalArgumentException("the token is empty");
    if (workers < 1)
      throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
    if (queue < 1) throw new IllegalArgumentException("--queue must be at least 1, got " + queue);
    if (requeueAfter.isNegative() || requeueAfter.compareTo(Duration.ofSeconds(25)) > 0) {
      throw new IllegalArgumentException(
          "--requeue-after must be between 0 and 25s (Argo's agent gives up on a call after 30s), got "
              + requeueAfter);
    }
    Objects.requireNonNull(moduleDir, "moduleDir");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(registries, "registries");
    Objects.requireNonNull(artifacts, "artifacts");
    Objects.requireNonNull(engine, "engine");
    if (cacheMaxBytes <= 0)
      throw new IllegalArgumentException("the cache size must be positive, got " + cacheMaxBytes);
    Objects.requireNonNull(capabilities, "capabilities");
  }

  /** What the steps this server runs are configured with. */
  public StepSettings steps() {
    return new StepSettings(
        moduleDir, cacheDir, cacheMaxBytes, limits, registries, artifacts, engine, capabilities);
  }

  /** Defaults for tests and embedding: loopback, a random port, one worker per core. */
  public static ServerConfig defaults(Optional<String> token) {
    return new ServerConfig(
        "127.0.0.1",
        0,
        token,
        Runtime.getRuntime().availableProcessors(),
        64,
        Duration.ofSeconds(20),
        Duration.ofSeconds(10),
        Duration.ofMinutes(10),
        Optional.empty(),
        Optional.empty(),
        Limits.defaults(),
        RegistrySettings.defaults(),
        ArtifactSettings.none(),
        Engine.TIERED,
        1L << 30);
  }

  public ServerConfig withPort(int p) {
    return new ServerConfig(
        host,
        p,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withWorkers(int w, int q) {
    return new ServerConfig(
        host,
        port,
        token,
        w,
        q,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withRequeue(Duration after, Duration again) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        after,
        again,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  /**
   * Pulled modules and compiled code are kept here (and survive restarts); bounded by
   * cacheMaxBytes.
   */
  public ServerConfig withCacheDir(Path dir) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        Optional.of(dir),
        limits,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withModuleDir(Path dir) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        Optional.of(dir),
        cacheDir,
        limits,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withRegistries(RegistrySettings r) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        r,
        artifacts,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withArtifacts(ArtifactSettings a) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        registries,
        a,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withEngine(Engine e) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        registries,
        artifacts,
        e,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withLimits(Limits l) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        l,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        capabilities);
  }

  public ServerConfig withCapabilities(CapabilityCeiling c) {
    return new ServerConfig(
        host,
        port,
        token,
        workers,
        queue,
        requeueAfter,
        requeue,
        keepResults,
        moduleDir,
        cacheDir,
        limits,
        registries,
        artifacts,
        engine,
        cacheMaxBytes,
        c);
  }
}

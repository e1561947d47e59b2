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
 * Everything {@code weft serve} is configured with; built once and then fixed. What concerns the
 * steps themselves (modules, caches, limits, artifacts, capabilities) is a {@link StepSettings}, as
 * for {@code weft agent}; the rest is the HTTP server's.
 *
 * @param token the bearer token the agent must send; empty only with {@code --insecure-no-auth}
 * @param requeueAfter a task still running after this is answered {@code Running}
 * @param requeue the duration Argo waits before asking again
 * @param keepResults how long finished (successful) replies are returned to repeated requests
 * @param steps what the steps this server runs are configured with; its engine defaults to tiered,
 *     which answers a new module's first steps without waiting for the compiler
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
    StepSettings steps) {

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
    Objects.requireNonNull(steps, "steps");
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
        StepSettings.defaults());
  }

  /** The ceiling and default for every step. */
  public Limits limits() {
    return steps.limits();
  }

  /** How module code runs. */
  public Engine engine() {
    return steps.engine();
  }

  /** A builder holding this configuration, to change a few of its values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.token = token;
    b.workers = workers;
    b.queue = queue;
    b.requeueAfter = requeueAfter;
    b.requeue = requeue;
    b.keepResults = keepResults;
    b.steps = steps;
    return b;
  }

  public ServerConfig withPort(int p) {
    return toBuilder().port(p).build();
  }

  public ServerConfig withWorkers(int w, int q) {
    return toBuilder().workers(w, q).build();
  }

  public ServerConfig withRequeue(Duration after, Duration again) {
    return toBuilder().requeue(after, again).build();
  }

  public ServerConfig withSteps(StepSettings s) {
    return toBuilder().steps(s).build();
  }

  /**
   * Pulled modules and compiled code are kept here (and survive restarts); bounded by the steps'
   * cacheMaxBytes.
   */
  public ServerConfig withCacheDir(Path dir) {
    return withSteps(steps.toBuilder().cacheDir(Optional.of(dir)).build());
  }

  public ServerConfig withModuleDir(Path dir) {
    return withSteps(steps.toBuilder().moduleDir(Optional.of(dir)).build());
  }

  public ServerConfig withRegistries(RegistrySettings r) {
    return withSteps(steps.toBuilder().registries(r).build());
  }

  public ServerConfig withArtifacts(ArtifactSettings a) {
    return withSteps(steps.toBuilder().artifacts(a).build());
  }

  public ServerConfig withEngine(Engine e) {
    return withSteps(steps.toBuilder().engine(e).build());
  }

  public ServerConfig withLimits(Limits l) {
    return withSteps(steps.toBuilder().limits(l).build());
  }

  public ServerConfig withCapabilities(CapabilityCeiling c) {
    return withSteps(steps.toBuilder().capabilities(c).build());
  }

  /** Collects a {@link ServerConfig}; {@link #build} checks it. */
  public static final class Builder {
    private String host;
    private int port;
    private Optional<String> token;
    private int workers;
    private int queue;
    private Duration requeueAfter;
    private Duration requeue;
    private Duration keepResults;
    private StepSettings steps;

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder token(Optional<String> token) {
      this.token = token;
      return this;
    }

    /** Tasks run at once, and tasks waiting for a worker before requests are refused. */
    public Builder workers(int workers, int queue) {
      this.workers = workers;
      this.queue = queue;
      return this;
    }

    /** When a running task is answered {@code Running}, and how long Argo waits to ask again. */
    public Builder requeue(Duration after, Duration again) {
      this.requeueAfter = after;
      this.requeue = again;
      return this;
    }

    public Builder keepResults(Duration keep) {
      this.keepResults = keep;
      return this;
    }

    public Builder steps(StepSettings steps) {
      this.steps = steps;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(
          host, port, token, workers, queue, requeueAfter, requeue, keepResults, steps);
    }
  }
}

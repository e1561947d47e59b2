package dev.weft.argo;

import dev.weft.runtime.Engine;
import dev.weft.runtime.Limits;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What an operator configures for the {@code plugin: wasm:} steps a front end runs: the same for
 * {@code weft serve} and {@code weft agent}.
 *
 * @param moduleDir where {@code module: {file: …}} paths resolve; empty disables file modules
 * @param cacheDir where pulled modules and compiled code are kept across restarts; empty keeps them
 *     in memory
 * @param cacheMaxBytes the most each cache may hold
 * @param limits the ceiling and default for every step
 * @param registries how {@code module: {oci: …}} references are pulled
 * @param artifacts the artifact repository and its limits
 * @param engine how module code runs
 * @param capabilities what steps' {@code permissions} may be granted at most (none by default)
 */
public record StepSettings(
    Optional<Path> moduleDir,
    Optional<Path> cacheDir,
    long cacheMaxBytes,
    Limits limits,
    RegistrySettings registries,
    ArtifactSettings artifacts,
    Engine engine,
    CapabilityCeiling capabilities) {

  public StepSettings {
    Objects.requireNonNull(moduleDir, "moduleDir");
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (cacheMaxBytes <= 0)
      throw new IllegalArgumentException("the cache size must be positive, got " + cacheMaxBytes);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(registries, "registries");
    Objects.requireNonNull(artifacts, "artifacts");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(capabilities, "capabilities");
  }

  /**
   * No module directory, no cache directory, default limits, no artifacts, no capabilities, tiered
   * engine.
   */
  public static StepSettings defaults() {
    return new StepSettings(
        Optional.empty(),
        Optional.empty(),
        1L << 30,
        Limits.defaults(),
        RegistrySettings.defaults(),
        ArtifactSettings.none(),
        Engine.TIERED,
        CapabilityCeiling.none());
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** A builder holding these settings, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.moduleDir = moduleDir;
    b.cacheDir = cacheDir;
    b.cacheMaxBytes = cacheMaxBytes;
    b.limits = limits;
    b.registries = registries;
    b.artifacts = artifacts;
    b.engine = engine;
    b.capabilities = capabilities;
    return b;
  }

  /** Collects {@link StepSettings}; {@link #build} checks them. */
  public static final class Builder {
    private Optional<Path> moduleDir;
    private Optional<Path> cacheDir;
    private long cacheMaxBytes;
    private Limits limits;
    private RegistrySettings registries;
    private ArtifactSettings artifacts;
    private Engine engine;
    private CapabilityCeiling capabilities;

    private Builder() {}

    public Builder moduleDir(Optional<Path> dir) {
      this.moduleDir = dir;
      return this;
    }

    public Builder cacheDir(Optional<Path> dir) {
      this.cacheDir = dir;
      return this;
    }

    public Builder cacheMaxBytes(long bytes) {
      this.cacheMaxBytes = bytes;
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = limits;
      return this;
    }

    public Builder registries(RegistrySettings registries) {
      this.registries = registries;
      return this;
    }

    public Builder artifacts(ArtifactSettings artifacts) {
      this.artifacts = artifacts;
      return this;
    }

    public Builder engine(Engine engine) {
      this.engine = engine;
      return this;
    }

    public Builder capabilities(CapabilityCeiling capabilities) {
      this.capabilities = capabilities;
      return this;
    }

    public StepSettings build() {
      return new StepSettings(
          moduleDir, cacheDir, cacheMaxBytes, limits, registries, artifacts, engine, capabilities);
    }
  }
}

package dev.weft.runtime;

import dev.weft.runtime.capability.Capability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One task invocation: what the module gets (input.json contents, args, env, stdin, files) and what
 * it may use (limits). Build with {@link #builder()}; everything is optional and denied by default:
 * no env, no args, empty stdin, no host directories.
 *
 * @param outputDir where output artifacts are copied on the host; when empty, weft creates a fresh
 *     temporary directory per task that the caller owns afterwards
 * @param capabilities what the task may use beyond its sandbox (HTTP, env and secrets); none by
 *     default
 */
public record TaskSpec(
    String workflowName,
    List<Parameter> parameters,
    List<Parameter> pluginOptions,
    List<InputArtifact> inputArtifacts,
    List<OutputParameterSpec> outputParameters,
    List<OutputArtifactSpec> outputArtifacts,
    List<String> args,
    Map<String, String> env,
    byte[] stdin,
    List<Mount> mounts,
    Limits limits,
    Optional<Path> outputDir,
    List<Capability> capabilities) {

  public TaskSpec {
    Objects.requireNonNull(workflowName, "workflowName");
    parameters = List.copyOf(parameters);
    pluginOptions = List.copyOf(pluginOptions);
    inputArtifacts = List.copyOf(inputArtifacts);
    outputParameters = List.copyOf(outputParameters);
    outputArtifacts = List.copyOf(outputArtifacts);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    stdin = stdin.clone();
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(outputDir, "outputDir");
    capabilities = List.copyOf(capabilities);
  }

  /** Names env variables but never prints their values (they may be secrets). */
  @Override
  public String toString() {
    return "TaskSpec[workflowName="
        + workflowName
        + ", parameters="
        + parameters.size()
        + ", inputArtifacts="
        + inputArtifacts
        + ", outputParameters="
        + outputParameters
        + ", outputArtifacts="
        + outputArtifacts
        + ", args="
        + args.size()
        + ", env="
        + env.keySet()
        + ", stdin="
        + stdin.length
        + " bytes, mounts="
        + mounts
        + ", limits="
        + limits
        + ", outputDir="
        + outputDir
        + ", capabilities="
        + capabilities
        + "]";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this spec's values, to change a few of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.workflowName = workflowName;
    b.parameters.addAll(parameters);
    b.pluginOptions.addAll(pluginOptions);
    b.inputArtifacts.addAll(inputArtifacts);
    b.outputParameters.addAll(outputParameters);
    b.outputArtifacts.addAll(outputArtifacts);
    b.args.addAll(args);
    b.env.putAll(env);
    b.stdin = stdin;
    b.mounts.addAll(mounts);
    b.limits = limits;
    b.outputDir = outputDir.orElse(null);
    b.capabilities.addAll(capabilities);
    return b;
  }

  /** Collects the optional fields of a {@link TaskSpec}. */
  public static final class Builder {
    private String workflowName = "";
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Parameter> pluginOptions = new ArrayList<>();
    private final List<InputArtifact> inputArtifacts = new ArrayList<>();
    private final List<OutputParameterSpec> outputParameters = new ArrayList<>();
    private final List<OutputArtifactSpec> outputArtifacts = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private byte[] stdin = new byte[0];
    private final List<Mount> mounts = new ArrayList<>();
    private Limits limits = Limits.defaults();
    private Path outputDir;
    private final List<Capability> capabilities = new ArrayList<>();

    private Builder() {}

    /** Grants a capability (HTTP, env and secrets); a task has none unless granted. */
    public Builder grant(Capability capability) {
      capabilities.add(Objects.requireNonNull(capability));
      return this;
    }

    public Builder workflowName(String name) {
      this.workflowName = Objects.requireNonNull(name);
      return this;
    }

    public Builder parameter(String name, Object value) {
      parameters.add(new Parameter(name, value));
      return this;
    }

    public Builder parameters(List<Parameter> list) {
      parameters.addAll(list);
      return this;
    }

    public Builder pluginOption(String name, Object value) {
      pluginOptions.add(new Parameter(name, value));
      return this;
    }

    public Builder pluginOptions(List<Parameter> list) {
      pluginOptions.addAll(list);
      return this;
    }

    public Builder inputArtifact(String name, String path, Path source) {
      inputArtifacts.add(new InputArtifact(name, path, source));
      return this;
    }

    public Builder outputParameter(OutputParameterSpec spec) {
      outputParameters.add(spec);
      return this;
    }

    public Builder outputArtifact(String name, String guestPath) {
      outputArtifacts.add(new OutputArtifactSpec(name, guestPath));
      return this;
    }

    public Builder args(List<String> list) {
      args.addAll(list);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder stdin(byte[] bytes) {
      this.stdin = bytes.clone();
      return this;
    }

    public Builder mount(Path hostPath, String guestPath) {
      mounts.add(new Mount(hostPath, guestPath));
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    public Builder outputDir(Path dir) {
      this.outputDir = dir;
      return this;
    }

    public TaskSpec build() {
      return new TaskSpec(
          workflowName,
          parameters,
          pluginOptions,
          inputArtifacts,
          outputParameters,
          outputArtifacts,
          args,
          env,
          stdin,
          mounts,
          limits,
          Optional.ofNullable(outputDir),
          capabilities);
    }
  }
}

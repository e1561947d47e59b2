package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed workflow: immutable records for the parts of Argo's Workflow spec that weft run
 * executes. Strings may still hold {@code {{…}}} expressions; they are resolved at run time.
 */
public final class Model {
  private Model() {}

  /**
   * A Workflow or WorkflowTemplate.
   *
   * @param baseDir the directory of the workflow file: relative module paths resolve against it
   * @param warnings fields accepted but without effect on one machine (e.g. serviceAccountName)
   */
  public record Workflow(
      String kind,
      Optional<String> name,
      Optional<String> generateName,
      Map<String, String> labels,
      Map<String, String> annotations,
      String entrypoint,
      Arguments arguments,
      Map<String, Template> templates,
      Optional<String> onExit,
      Optional<Integer> parallelism,
      Optional<String> activeDeadlineSeconds,
      Path baseDir,
      List<String> warnings,
      Map<String, Hook> hooks) {
    public Workflow {
      hooks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hooks));
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
      templates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(templates));
      warnings = List.copyOf(warnings);
    }

    public Template template(String name) {
      return templates.get(name);
    }
  }

  /** A parameter: an argument, an input or an output. */
  public record Param(
      String name,
      Optional<String> value,
      Optional<String> defaultValue,
      Optional<ValueFrom> valueFrom,
      Optional<String> globalName,
      List<String> enumValues) {
    public Param {
      enumValues = List.copyOf(enumValues);
    }
  }

  /** {@code valueFrom} of an output parameter. */
  public record ValueFrom(
      Optional<String> path,
      Optional<String> parameter,
      Optional<String> expression,
      Optional<String> defaultValue,
      boolean supplied) {}

  /** An artifact: an argument ({@code from}, {@code raw}), an input or an output. */
  public record Artifact(
      String name,
      Optional<String> path,
      Optional<String> from,
      Optional<String> raw,
      boolean optional,
      Archive archive,
      Optional<String> globalName) {}

  /** How an output artifact is stored: Argo's default gzip'd tar, a plain file, or zip. */
  public enum Archive {
    TGZ,
    NONE,
    ZIP
  }

  public record Arguments(List<Param> parameters, List<Artifact> artifacts) {
    public static final Arguments NONE = new Arguments(List.of(), List.of());

    public Arguments {
      parameters = List.copyOf(parameters);
      artifacts = List.copyOf(artifacts);
    }
  }

  public record Outputs(List<Param> parameters, List<Artifact> artifacts) {
    public static final Outputs NONE = new Outputs(List.of(), List.of());

    public Outputs {
      parameters = List.copyOf(parameters);
      artifacts = List.copyOf(artifacts);
    }
  }

  /** What kind of template this is; each kind has its own executor. */
  public enum Kind {
    STEPS,
    DAG,
    PLUGIN,
    SUSPEND,
    CONTAINER,
    SCRIPT
  }

  /**
   * A template.
   *
   * @param wasm the {@code plugin.wasm} block (PLUGIN templates)
   * @param suspendDuration {@code suspend.duration} (SUSPEND templates)
   * @param line where the template starts in the file
   */
  public record Template(
      String name,
      Kind kind,
      Arguments inputs,
      Outputs outputs,
      List<List<Step>> steps,
      Optional<Dag> dag,
      Optional<JsonNode> wasm,
      Optional<String> suspendDuration,
      Optional<RetryStrategy> retryStrategy,
      Optional<String> timeout,
      Optional<String> activeDeadlineSeconds,
      Optional<String> parallelism,
      Optional<Boolean> failFast,
      int line) {
    public Template {
      steps = steps.stream().map(List::copyOf).toList();
    }
  }

  public record Dag(List<Step> tasks, Optional<String> target, Optional<Boolean> failFast) {
    public Dag {
      tasks = List.copyOf(tasks);
    }
  }

  /** A step of a steps template, or a task of a DAG. */
  public record Step(
      String name,
      String template,
      Arguments arguments,
      Optional<String> when,
      Optional<Loop> loop,
      boolean continueOnFailed,
      boolean continueOnError,
      Optional<Hook> exitHook,
      List<String> dependencies,
      Optional<String> depends,
      int line,
      Map<String, Hook> hooks) {
    public Step {
      dependencies = List.copyOf(dependencies);
    }
  }

  /** {@code hooks.exit} (or the older {@code onExit}) of a step or task. */
  /** An exit hook, or a lifecycle hook that runs when its {@code expression} (expr-lang) holds. */
  public record Hook(String template, Arguments arguments, Optional<String> expression) {
    public Hook(String template, Arguments arguments) {
      this(template, arguments, Optional.empty());
    }
  }

  /** A loop over items: exactly one of the three Argo forms. */
  public sealed interface Loop {}

  /** {@code withItems}: literal items. */
  public record WithItems(List<JsonNode> items) implements Loop {
    public WithItems {
      items = List.copyOf(items);
    }
  }

  /** {@code withParam}: a JSON list, after substitution. */
  public record WithParam(String json) implements Loop {}

  /** {@code withSequence}: numbers from start to end (inclusive) or count numbers from start. */
  public record WithSequence(
      Optional<String> count, Optional<String> start, Optional<String> end, Optional<String> format)
      implements Loop {}

  /** {@code retryStrategy}. */
  public record RetryStrategy(
      Optional<String> limit,
      String retryPolicy,
      Optional<String> backoffDuration,
      Optional<String> backoffFactor,
      Optional<String> backoffMaxDuration,
      Optional<String> expression) {}
}

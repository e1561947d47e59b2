package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Model.Arguments;
import dev.weft.engine.Model.Hook;
import dev.weft.engine.Model.RetryStrategy;
import dev.weft.engine.Model.Template;
import dev.weft.engine.Model.Workflow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Workflow and WorkflowTemplate YAML into a {@link Workflow}. Every field is either
 * understood, accepted with a warning (it only matters on a cluster), or refused with an error
 * naming the field and its line: nothing is silently ignored.
 *
 * <p>This class reads the file within its size limit and the workflow's own fields (metadata, spec,
 * hooks); {@link TemplateParser}, {@link StepParser} and {@link ArgumentsParser} read the parts,
 * each field through a {@link YamlMap}.
 */
public final class WorkflowParser {
  /**
   * The largest workflow file read: checked before parsing, as a huge one took minutes to refuse.
   */
  static final int MAX_YAML_BYTES = 4 << 20;

  private final ParseContext ctx;
  private final ArgumentsParser args;
  private final TemplateParser templateParser;

  private WorkflowParser(YamlTree tree) {
    this.ctx = new ParseContext(tree);
    this.args = new ArgumentsParser(ctx);
    this.templateParser = new TemplateParser(ctx, args, new StepParser(ctx, args));
  }

  /** Parses a workflow file; relative module paths will resolve against its directory. */
  public static Workflow parse(Path file) {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_YAML_BYTES) {
        throw new InvalidWorkflowException(
            file.toString(),
            0,
            "the file is "
                + size
                + " bytes, over weft run's limit of "
                + MAX_YAML_BYTES
                + " bytes (Kubernetes stores no object over 1.5 MiB)");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidWorkflowException(
          file.toString(), 0, "cannot read the file: " + e.getMessage());
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  public static Workflow parse(String yaml, Path baseDir) {
    if (yaml.length() > MAX_YAML_BYTES) {
      throw new InvalidWorkflowException(
          "(document)",
          0,
          "the workflow is "
              + yaml.length()
              + " characters, over weft run's limit of "
              + MAX_YAML_BYTES);
    }
    WorkflowParser p = new WorkflowParser(YamlTree.read(yaml));
    return p.workflow(p.ctx.tree.root, baseDir);
  }

  private Workflow workflow(JsonNode rootNode, Path baseDir) {
    YamlMap root = new YamlMap(ctx, rootNode, "");
    root.only(Set.of("apiVersion", "kind", "metadata", "spec"));
    String kind = root.str("kind").orElse("Workflow");
    if (!kind.equals("Workflow")
        && !kind.equals("WorkflowTemplate")
        && !kind.equals("ClusterWorkflowTemplate")) {
      throw ctx.error(
          "kind",
          "must be Workflow or WorkflowTemplate, found "
              + kind
              + (kind.equals("CronWorkflow") ? " (run its spec.workflowSpec as a Workflow)" : ""));
    }
    YamlMap meta =
        root.obj("metadata")
            .orElseThrow(() -> ctx.error("metadata", "is required (with name or generateName)"));
    meta.only(
        Set.of(
            "name",
            "generateName",
            "namespace",
            "labels",
            "annotations",
            "uid",
            "creationTimestamp",
            "resourceVersion"));
    Optional<String> name = meta.str("name");
    Optional<String> generateName = meta.str("generateName");
    if (name.isEmpty() && generateName.isEmpty())
      throw ctx.error("metadata", "needs name or generateName");
    YamlMap spec = root.obj("spec").orElseThrow(() -> ctx.error("spec", "is required"));
    spec.only(
        Set.of(
            "entrypoint",
            "arguments",
            "templates",
            "onExit",
            "parallelism",
            "activeDeadlineSeconds",
            "hooks",
            "templateDefaults",
            "retryStrategy"));
    Optional<YamlMap> defaults = spec.obj("templateDefaults");
    Optional<RetryStrategy> specRetry = spec.obj("retryStrategy").map(templateParser::retry);
    defaults.ifPresent(d -> d.only(Set.of("retryStrategy", "timeout", "activeDeadlineSeconds")));
    Map<String, Template> templates = new LinkedHashMap<>();
    for (YamlMap t : spec.objs("templates")) {
      Template tmpl = templateParser.template(t, defaults, specRetry);
      if (templates.put(tmpl.name(), tmpl) != null)
        throw ctx.error(t.at("name"), "template '" + tmpl.name() + "' is defined twice");
    }
    if (templates.isEmpty()) throw ctx.error("spec.templates", "at least one template is required");
    String entrypoint =
        spec.str("entrypoint").orElseThrow(() -> ctx.error("spec.entrypoint", "is required"));
    if (!entrypoint.contains("{{") && !templates.containsKey(entrypoint)) {
      throw ctx.error(
          "spec.entrypoint", "names template '" + entrypoint + "', which does not exist");
    }
    Optional<String> onExit = spec.str("onExit");
    Map<String, Hook> wfHooks = new LinkedHashMap<>();
    if (spec.has("hooks")) {
      YamlMap hooks = spec.obj("hooks").get();
      for (String hookName : hooks.fields()) {
        YamlMap h = hooks.map(hookName, StepParser.HOOK);
        if (hookName.equals("exit")) {
          h.only(Set.of("template"));
          if (onExit.isPresent())
            throw ctx.error(hooks.at("exit"), "give spec.onExit or spec.hooks.exit, not both");
          onExit = Optional.of(h.required("template"));
          continue;
        }
        h.only(Set.of("template", "arguments", "expression"));
        String tn = h.required("template");
        if (!templates.containsKey(tn))
          throw ctx.error(h.at("template"), "names template '" + tn + "', which does not exist");
        wfHooks.put(
            hookName,
            new Hook(
                tn,
                h.obj("arguments").map(args::arguments).orElse(Arguments.NONE),
                Optional.of(
                    h.str("expression")
                        .orElseThrow(
                            () ->
                                ctx.error(h.at("expression"), StepParser.HOOK_NEEDS_EXPRESSION)))));
      }
    }
    onExit.ifPresent(
        t -> {
          if (!templates.containsKey(t))
            throw ctx.error("spec.onExit", "names template '" + t + "', which does not exist");
        });
    Optional<Integer> parallelism =
        spec.str("parallelism").map(v -> positiveInt(v, "spec.parallelism"));
    Arguments arguments = spec.obj("arguments").map(args::arguments).orElse(Arguments.NONE);
    for (Template t : templates.values()) References.check(t, templates);
    return new Workflow(
        kind,
        name,
        generateName,
        meta.strings("labels"),
        meta.strings("annotations"),
        entrypoint,
        arguments,
        templates,
        onExit,
        parallelism,
        spec.str("activeDeadlineSeconds"),
        baseDir,
        ctx.warnings,
        wfHooks);
  }

  private int positiveInt(String v, String path) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n > 0) return n;
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ctx.error(path, "must be a positive whole number, found '" + v + "'");
  }
}

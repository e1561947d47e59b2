package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cursor over one YAML map of a workflow, with its path for error messages: typed reads of its
 * fields, and the rule that every field is understood, warned about (cluster-only) or refused.
 */
final class YamlMap {
  /**
   * Fields that configure pods or the cluster: meaningless on one machine, so warned about, not
   * refused.
   */
  private static final Set<String> CLUSTER_ONLY =
      Set.of(
          "serviceAccountName",
          "podGC",
          "ttlStrategy",
          "ttlSecondsAfterFinished",
          "imagePullSecrets",
          "nodeSelector",
          "tolerations",
          "affinity",
          "securityContext",
          "podMetadata",
          "workflowMetadata",
          "archiveLogs",
          "artifactRepositoryRef",
          "priority",
          "schedulerName",
          "podPriorityClassName",
          "priorityClassName",
          "hostNetwork",
          "dnsPolicy",
          "dnsConfig",
          "volumes",
          "volumeClaimTemplates",
          "podDisruptionBudget",
          "executor",
          "automountServiceAccountToken",
          "metrics",
          "podSpecPatch",
          "archiveLocation",
          "hostAliases",
          "workflowTemplateRef_",
          "sidecars",
          "initContainers",
          "outputs_",
          "nodeName");

  // not here: daemon, which changes when later steps run (they start while the daemon keeps
  // running), so weft run refuses it by name rather than run the template to its end

  /**
   * Argo fields weft run does not implement: "not supported", where any other unexpected field is
   * "unknown".
   */
  private static final Set<String> ARGO_ONLY =
      Set.of(
          "daemon",
          "synchronization",
          "memoize",
          "resource",
          "data",
          "http",
          "containerSet",
          "templateRef",
          "inline",
          "workflowTemplateRef",
          "artifactGC",
          "shutdown",
          "volumeMounts",
          "plugin",
          "container",
          "script",
          "suspend",
          "steps",
          "dag",
          "onExit",
          "hooks",
          "retryStrategy",
          "timeout",
          "activeDeadlineSeconds",
          "parallelism",
          "failFast",
          "arguments",
          "outputs",
          "inputs",
          "templateDefaults",
          "entrypoint",
          "templates",
          "executor",
          "env",
          "initContainers",
          "sidecars",
          "archiveLocation",
          "metadata");

  private final ParseContext ctx;
  final JsonNode node;
  final String path;

  YamlMap(ParseContext ctx, JsonNode node, String path) {
    this.ctx = ctx;
    this.node = node;
    this.path = path;
    if (!node.isObject()) throw ctx.error(path, "must be a map, found " + kind(node));
  }

  String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** Fails on fields not in {@code known}; warns about cluster-only ones. */
  void only(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (known.contains(f)) continue;
      if (CLUSTER_ONLY.contains(f)) {
        ctx.warn(at(f), "has no effect in weft run and is ignored");
        continue;
      }
      if (ARGO_ONLY.contains(f)) {
        throw ctx.error(
            at(f),
            "is not supported by weft run (supported here: "
                + String.join(", ", new TreeSet<>(known))
                + ")");
      }
      throw ctx.error(
          at(f),
          "unknown field '"
              + f
              + "'"
              + WorkflowLint.suggest(f, known)
              + " (known here: "
              + String.join(", ", new TreeSet<>(known))
              + ")");
    }
  }

  /** This map's field names, in document order. */
  List<String> fields() {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Field {@code f}, which must be a map: {@code whatItIs} says what, when it is null. */
  YamlMap map(String f, String whatItIs) {
    return obj(f).orElseThrow(() -> ctx.error(at(f), "must be " + whatItIs));
  }

  boolean has(String f) {
    return node.hasNonNull(f);
  }

  Optional<String> str(String f) {
    JsonNode v = node.get(f);
    if (v == null || v.isNull()) return Optional.empty();
    if (v.isTextual() || v.isNumber() || v.isBoolean()) return Optional.of(v.asText());
    throw ctx.error(at(f), "must be a string, found " + kind(v));
  }

  String required(String f) {
    return str(f).orElseThrow(() -> ctx.error(at(f), "is required"));
  }

  Optional<Boolean> bool(String f) {
    JsonNode v = node.get(f);
    if (v == null || v.isNull()) return Optional.empty();
    if (v.isBoolean()) return Optional.of(v.asBoolean());
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false")))
      return Optional.of(Boolean.parseBoolean(v.asText()));
    throw ctx.error(at(f), "must be true or false, found " + v);
  }

  Optional<YamlMap> obj(String f) {
    JsonNode v = node.get(f);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(new YamlMap(ctx, v, at(f)));
  }

  List<JsonNode> list(String f) {
    JsonNode v = node.get(f);
    if (v == null || v.isNull()) return List.of();
    if (!v.isArray()) throw ctx.error(at(f), "must be a list, found " + kind(v));
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  List<YamlMap> objs(String f) {
    List<JsonNode> l = list(f);
    List<YamlMap> out = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) out.add(new YamlMap(ctx, l.get(i), at(f) + "[" + i + "]"));
    return out;
  }

  Map<String, String> strings(String f) {
    Map<String, String> m = new LinkedHashMap<>();
    obj(f).ifPresent(o -> o.node.fieldNames().forEachRemaining(k -> m.put(k, o.str(k).orElse(""))));
    return m;
  }

  /** The JSON type of a node, as error messages name it. */
  static String kind(JsonNode n) {
    return n.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}

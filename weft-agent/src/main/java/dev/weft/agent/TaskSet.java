package dev.weft.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One WorkflowTaskSet as the agent reads it: which workflow, its tasks ({@code spec.tasks}, node ID
 * to processed template) and the results already reported ({@code status.nodes}).
 *
 * <p>This is where the Kubernetes client's objects (Jackson 3) become weft's JSON (Jackson 2): the
 * informer's objects through their plain maps, the API's answers through their bytes. Nothing else
 * in the agent touches either library's types across that line.
 *
 * @param uid the workflow's UID ({@code metadata.ownerReferences[0].uid}); the TaskSet's own when
 *     it has no owner
 * @param resourceVersion the version this view was read at
 */
record TaskSet(
    String namespace,
    String name,
    String uid,
    String creationTimestamp,
    String resourceVersion,
    boolean completed,
    Map<String, JsonNode> tasks,
    Map<String, JsonNode> nodes) {

  static final String GROUP = "argoproj.io";
  static final String VERSION = "v1alpha1";
  static final String PLURAL = "workflowtasksets";
  static final String KIND = "WorkflowTaskSet";
  static final String COMPLETED_LABEL = "workflows.argoproj.io/completed";
  static final String INSTANCE_ID_LABEL = "workflows.argoproj.io/controller-instanceid";
  /** Phases after which Argo treats a node as done (Completed or Fulfilled). */
  static final Set<String> FINAL_PHASES = Set.of("Succeeded", "Failed", "Error", "Skipped", "Omitted");

  static final ObjectMapper JSON = new ObjectMapper();

  TaskSet {
    tasks = Collections.unmodifiableMap(tasks);
    nodes = Collections.unmodifiableMap(nodes);
  }

  /** From an informer's object. */
  static TaskSet from(GenericKubernetesResource r) {
    ObjectMeta m = r.getMetadata();
    Map<String, Object> props = r.getAdditionalProperties();
    JsonNode spec = JSON.valueToTree(props.get("spec"));
    JsonNode status = JSON.valueToTree(props.get("status"));
    String owner = m.getOwnerReferences() == null || m.getOwnerReferences().isEmpty() ? null : m.getOwnerReferences().get(0).getUid();
    boolean completed = m.getLabels() != null && "true".equals(m.getLabels().get(COMPLETED_LABEL));
    return new TaskSet(m.getNamespace(), m.getName(), owner != null ? owner : String.valueOf(m.getUid()),
        String.valueOf(m.getCreationTimestamp()), String.valueOf(m.getResourceVersion()), completed, fields(spec, "tasks"), fields(status, "nodes"));
  }

  /** From the API's JSON for the object (a GET or a PATCH answer). */
  static TaskSet fromJson(JsonNode o) {
    JsonNode m = o.path("metadata");
    String owner = m.path("ownerReferences").path(0).path("uid").asText("");
    return new TaskSet(m.path("namespace").asText(), m.path("name").asText(), owner.isEmpty() ? m.path("uid").asText() : owner,
        m.path("creationTimestamp").asText(""), m.path("resourceVersion").asText(""),
        "true".equals(m.path("labels").path(COMPLETED_LABEL).asText()), fields(o.path("spec"), "tasks"), fields(o.path("status"), "nodes"));
  }

  private static Map<String, JsonNode> fields(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    if (n == null || !n.isObject()) return Map.of();
    Map<String, JsonNode> out = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> {
      if (!e.getValue().isNull()) out.put(e.getKey(), e.getValue());
    });
    return out;
  }

  /** Which TaskSet: namespace and name (the workflow's). */
  Ref ref() {
    return new Ref(namespace, name);
  }

  /** Whether the node already has a result Argo treats as final. */
  boolean finished(String nodeId) {
    JsonNode n = nodes.get(nodeId);
    return n != null && FINAL_PHASES.contains(n.path("phase").asText());
  }

  /** The workflow's {@code metadata} as a plugin receives it (name, namespace, uid), for artifact keys. */
  ObjectNode workflowMeta() {
    ObjectNode meta = JSON.createObjectNode().put("name", name).put("namespace", namespace).put("uid", uid);
    if (!creationTimestamp.isEmpty() && !creationTimestamp.equals("null")) meta.put("creationTimestamp", creationTimestamp);
    return meta;
  }

  /** "namespace/name", for log lines. */
  String describe() {
    return namespace + "/" + name;
  }

  /** A TaskSet by namespace and name. */
  record Ref(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  /** Reads the resource version as a number when it is one, to tell which of two views is newer. */
  static Optional<Long> version(String rv) {
    try {
      return Optional.of(Long.parseLong(rv));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}

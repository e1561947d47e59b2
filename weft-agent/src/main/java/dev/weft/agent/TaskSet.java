package dev.weft.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One WorkflowTaskSet as the agent reads it: which workflow, the IDs of its tasks ({@code
 * spec.tasks}), the phases already reported ({@code status.nodes}), and each task's processed
 * template on demand.
 *
 * <p>This is where the Kubernetes client's objects (Jackson 3) become weft's JSON (Jackson 2): the
 * informer's objects through their plain maps, the API's answers through their bytes. Nothing else
 * in the agent touches either library's types across that line. A TaskSet is read again on every
 * change of any of its nodes, so only what every reading needs is converted; a template is
 * converted when its task is taken.
 */
final class TaskSet {
  static final String GROUP = "argoproj.io";
  static final String VERSION = "v1alpha1";
  static final String PLURAL = "workflowtasksets";
  static final String KIND = "WorkflowTaskSet";
  static final String COMPLETED_LABEL = "workflows.argoproj.io/completed";
  static final String INSTANCE_ID_LABEL = "workflows.argoproj.io/controller-instanceid";

  /** Phases after which Argo treats a node as done (Completed or Fulfilled). */
  static final Set<String> FINAL_PHASES =
      Set.of("Succeeded", "Failed", "Error", "Skipped", "Omitted");

  static final ObjectMapper JSON = new ObjectMapper();

  private final String namespace;
  private final String name;
  private final String uid;
  private final String creationTimestamp;
  private final String resourceVersion;
  private final boolean completed;
  private final Set<String> taskIds;
  private final Map<String, String> phases;
  private final Function<String, JsonNode> templates;

  private TaskSet(
      String namespace,
      String name,
      String uid,
      String creationTimestamp,
      String resourceVersion,
      boolean completed,
      Set<String> taskIds,
      Map<String, String> phases,
      Function<String, JsonNode> templates) {
    this.namespace = namespace;
    this.name = name;
    this.uid = uid;
    this.creationTimestamp =
        creationTimestamp == null || creationTimestamp.equals("null") ? "" : creationTimestamp;
    this.resourceVersion = resourceVersion;
    this.completed = completed;
    this.taskIds = Collections.unmodifiableSet(taskIds);
    this.phases = Collections.unmodifiableMap(phases);
    this.templates = templates;
  }

  /**
   * From an informer's object: its maps are read in place; a template is converted when asked for.
   */
  @SuppressWarnings("unchecked")
  static TaskSet from(GenericKubernetesResource r) {
    ObjectMeta m = r.getMetadata();
    Map<String, Object> props = r.getAdditionalProperties();
    Map<String, Object> tasks = child(props.get("spec"), "tasks");
    Map<String, Object> nodes = child(props.get("status"), "nodes");
    Set<String> ids = new LinkedHashSet<>();
    tasks.forEach(
        (id, t) -> {
          if (t != null) ids.add(id);
        });
    Map<String, String> phases = new HashMap<>();
    nodes.forEach(
        (id, n) -> {
          if (n instanceof Map)
            phases.put(id, String.valueOf(((Map<String, Object>) n).getOrDefault("phase", "")));
        });
    String owner =
        m.getOwnerReferences() == null || m.getOwnerReferences().isEmpty()
            ? null
            : m.getOwnerReferences().get(0).getUid();
    boolean completed = m.getLabels() != null && "true".equals(m.getLabels().get(COMPLETED_LABEL));
    return new TaskSet(
        m.getNamespace(),
        m.getName(),
        owner != null ? owner : String.valueOf(m.getUid()),
        String.valueOf(m.getCreationTimestamp()),
        String.valueOf(m.getResourceVersion()),
        completed,
        ids,
        phases,
        id -> JSON.valueToTree(tasks.get(id)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Object parent, String field) {
    if (!(parent instanceof Map)) return Map.of();
    Object c = ((Map<String, Object>) parent).get(field);
    return c instanceof Map ? (Map<String, Object>) c : Map.of();
  }

  /** From a tree of the API's JSON for the object. */
  static TaskSet fromJson(JsonNode o) {
    try {
      return fromJson(JSON.writeValueAsBytes(o));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a TaskSet: " + e.getMessage(), e);
    }
  }

  /**
   * From the API's JSON for the object (a GET or a PATCH answer), read as a stream: the metadata,
   * the task IDs and each node's phase; templates are skipped (the agent never runs a task from an
   * answer to its own patch).
   */
  static TaskSet fromJson(byte[] json) throws IOException {
    String namespace = "", name = "", ownUid = "", owner = "", created = "", rv = "";
    boolean completed = false;
    Set<String> ids = new LinkedHashSet<>();
    Map<String, String> phases = new HashMap<>();
    try (JsonParser p = JSON.getFactory().createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT)
        throw new IOException("a TaskSet must be a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String top = p.currentName();
        p.nextToken();
        if (top.equals("metadata") && p.currentToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
              case "name" -> name = p.getValueAsString("");
              case "namespace" -> namespace = p.getValueAsString("");
              case "uid" -> ownUid = p.getValueAsString("");
              case "resourceVersion" -> rv = p.getValueAsString("");
              case "creationTimestamp" -> created = p.getValueAsString("");
              case "labels" -> {
                JsonNode labels = p.readValueAsTree();
                completed = labels != null && "true".equals(labels.path(COMPLETED_LABEL).asText());
              }
              case "ownerReferences" -> {
                JsonNode refs = p.readValueAsTree();
                if (refs != null) owner = refs.path(0).path("uid").asText("");
              }
              default -> {
                if (t.isStructStart()) p.skipChildren();
              }
            }
          }
        } else if ((top.equals("spec") || top.equals("status"))
            && p.currentToken() == JsonToken.START_OBJECT) {
          String wanted = top.equals("spec") ? "tasks" : "nodes";
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (f.equals(wanted) && t == JsonToken.START_OBJECT) {
              while (p.nextToken() == JsonToken.FIELD_NAME) {
                String id = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_NULL) continue;
                if (top.equals("spec")) {
                  ids.add(id);
                  if (v.isStructStart()) p.skipChildren();
                } else if (v == JsonToken.START_OBJECT) {
                  String phase = "";
                  while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String nf = p.currentName();
                    JsonToken nv = p.nextToken();
                    if (nf.equals("phase")) phase = p.getValueAsString("");
                    else if (nv.isStructStart()) p.skipChildren();
                  }
                  phases.put(id, phase);
                } else if (v.isStructStart()) {
                  p.skipChildren();
                }
              }
            } else if (t.isStructStart()) {
              p.skipChildren();
            }
          }
        } else if (p.currentToken().isStructStart()) {
          p.skipChildren();
        }
      }
    }
    String finalOwner = owner.isEmpty() ? ownUid : owner;
    String ns = namespace, n = name;
    return new TaskSet(
        ns,
        n,
        finalOwner,
        created,
        rv,
        completed,
        ids,
        phases,
        id -> {
          throw new IllegalStateException(
              "the template of " + ns + "/" + n + " node " + id + " was not read");
        });
  }

  String namespace() {
    return namespace;
  }

  String name() {
    return name;
  }

  String uid() {
    return uid;
  }

  String resourceVersion() {
    return resourceVersion;
  }

  boolean completed() {
    return completed;
  }

  /** The node IDs in {@code spec.tasks}. */
  Set<String> taskIds() {
    return taskIds;
  }

  /** A task's processed template, as Argo wrote it. */
  JsonNode template(String nodeId) {
    return templates.apply(nodeId);
  }

  /** Which TaskSet: namespace and name (the workflow's). */
  Ref ref() {
    return new Ref(namespace, name);
  }

  /** Whether the node already has a result Argo treats as final. */
  boolean finished(String nodeId) {
    String phase = phases.get(nodeId);
    return phase != null && FINAL_PHASES.contains(phase);
  }

  /**
   * The workflow's {@code metadata} as a plugin receives it (name, namespace, uid), for artifact
   * keys.
   */
  ObjectNode workflowMeta() {
    ObjectNode meta =
        JSON.createObjectNode().put("name", name).put("namespace", namespace).put("uid", uid);
    if (!creationTimestamp.isEmpty()) meta.put("creationTimestamp", creationTimestamp);
    return meta;
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

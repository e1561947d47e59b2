package dev.weft.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Argo's workflow controller as far as WorkflowTaskSets go, against the fabric8 mock API server (a
 * stand-in: no real API server or Argo can run here). It writes TaskSets as
 * workflow/controller/taskset.go createTaskSet does (name and namespace of the workflow, the
 * instance-ID label when set, one owner reference to the Workflow, {@code spec.tasks} of processed
 * templates), edits them with JSON Patch (the mock's merge patch does not delete keys set to null),
 * and reads {@code status.nodes}.
 */
final class ArgoStandIn {
  static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;

  ArgoStandIn(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The WorkflowTaskSet CRD with its status subresource, as Argo's manifests install it (schema
   * left open).
   */
  void installCrd() {
    install(crd("WorkflowTaskSet", "workflowtasksets", "workflowtaskset", "wfts", true));
  }

  /** A namespaced argoproj.io/v1alpha1 CRD with an open schema. */
  static CustomResourceDefinition crd(
      String kind, String plural, String singular, String shortName, boolean statusSubresource) {
    var version =
        new io.fabric8.kubernetes.api.model.apiextensions.v1
                .CustomResourceDefinitionVersionBuilder()
            .withName("v1alpha1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema();
    if (statusSubresource)
      version.withNewSubresources().withNewStatus().endStatus().endSubresources();
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(plural + ".argoproj.io")
        .endMetadata()
        .withNewSpec()
        .withGroup("argoproj.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind(kind)
        .withListKind(kind + "List")
        .withPlural(plural)
        .withSingular(singular)
        .withShortNames(shortName)
        .endNames()
        .addToVersions(version.build())
        .endSpec()
        .build();
  }

  private void install(CustomResourceDefinition crd) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  /** Argo's Workflows, for the owner of a TaskSet. */
  static final ResourceDefinitionContext WORKFLOWS =
      new ResourceDefinitionContext.Builder()
          .withGroup("argoproj.io")
          .withVersion("v1alpha1")
          .withKind("Workflow")
          .withPlural("workflows")
          .withNamespaced(true)
          .build();

  /** The Workflow CRD as Argo's manifests install it: no status subresource (schema left open). */
  void installWorkflowCrd() {
    install(crd("Workflow", "workflows", "workflow", "wf", false));
  }

  /**
   * A Workflow as the controller leaves it before its first node runs: {@code
   * status.artifactRepositoryRef} holds the result of its artifact repository resolution (Argo's
   * ArtifactRepositoryRefStatus, with the repository itself). Returns its UID, for its TaskSet.
   */
  String createWorkflow(String namespace, String name, JsonNode artifactRepositoryRef) {
    String uid = UUID.randomUUID().toString();
    ObjectNode wf =
        JSON.createObjectNode().put("kind", "Workflow").put("apiVersion", "argoproj.io/v1alpha1");
    wf.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", uid);
    wf.putObject("spec").put("entrypoint", "main");
    ObjectNode status = wf.putObject("status").put("phase", "Running");
    status.set("artifactRepositoryRef", artifactRepositoryRef);
    GenericKubernetesResource r =
        client
            .getKubernetesSerialization()
            .unmarshal(wf.toString(), GenericKubernetesResource.class);
    GenericKubernetesResource created =
        client.genericKubernetesResources(WORKFLOWS).inNamespace(namespace).resource(r).create();
    // The mock server makes up its own UID; the TaskSet's owner reference must carry that one.
    return created.getMetadata().getUid() == null ? uid : created.getMetadata().getUid();
  }

  /** A Secret in a namespace, as {@code kubectl create secret generic} makes it. */
  void createSecret(String namespace, String name, Map<String, String> data) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(
                k,
                java.util.Base64.getEncoder()
                    .encodeToString(v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withData(encoded)
                .build())
        .create();
  }

  /** A workflow's TaskSet with its first tasks; returns the workflow's UID. */
  String createTaskSet(String namespace, String workflow, Map<String, String> tasks) {
    return createTaskSet(namespace, workflow, tasks, Optional.empty());
  }

  String createTaskSet(
      String namespace, String workflow, Map<String, String> tasks, Optional<String> instanceId) {
    return createTaskSet(namespace, workflow, UUID.randomUUID().toString(), tasks, instanceId);
  }

  String createTaskSet(
      String namespace,
      String workflow,
      String uid,
      Map<String, String> tasks,
      Optional<String> instanceId) {
    ObjectNode ts =
        JSON.createObjectNode()
            .put("kind", "WorkflowTaskSet")
            .put("apiVersion", "argoproj.io/v1alpha1");
    ObjectNode meta = ts.putObject("metadata").put("name", workflow).put("namespace", namespace);
    instanceId.ifPresent(
        id -> meta.putObject("labels").put("workflows.argoproj.io/controller-instanceid", id));
    meta.putArray("ownerReferences")
        .addObject()
        .put("apiVersion", "argoproj.io/v1alpha1")
        .put("kind", "Workflow")
        .put("name", workflow)
        .put("uid", uid);
    ObjectNode t = ts.putObject("spec").putObject("tasks");
    tasks.forEach((id, tpl) -> t.set(id, parse(tpl)));
    GenericKubernetesResource r =
        client
            .getKubernetesSerialization()
            .unmarshal(ts.toString(), GenericKubernetesResource.class);
    client.genericKubernetesResources(Agent.TASK_SETS).inNamespace(namespace).resource(r).create();
    return uid;
  }

  /** What a later reconcile does: the task map written again (here one task added or re-added). */
  void putTask(String namespace, String workflow, String nodeId, String template) {
    ArrayNode ops = JSON.createArrayNode();
    ops.addObject()
        .put("op", "add")
        .put("path", "/spec/tasks/" + nodeId)
        .set("value", parse(template));
    patch(namespace, workflow, ops, false);
  }

  /** removeCompletedTaskSetStatus: fulfilled nodes leave status.nodes, then spec.tasks. */
  void removeFulfilled(String namespace, String workflow, String... nodeIds) {
    ArrayNode status = JSON.createArrayNode();
    ArrayNode spec = JSON.createArrayNode();
    for (String id : nodeIds) {
      status.addObject().put("op", "remove").put("path", "/status/nodes/" + id);
      spec.addObject().put("op", "remove").put("path", "/spec/tasks/" + id);
    }
    patch(namespace, workflow, status, true);
    patch(namespace, workflow, spec, false);
  }

  /** The label the controller sets once the workflow is fulfilled. */
  void markCompleted(String namespace, String workflow) {
    ArrayNode ops = JSON.createArrayNode();
    ops.addObject()
        .put("op", "add")
        .put("path", "/metadata/labels")
        .set("value", JSON.createObjectNode().put("workflows.argoproj.io/completed", "true"));
    patch(namespace, workflow, ops, false);
  }

  void delete(String namespace, String workflow) {
    client
        .genericKubernetesResources(Agent.TASK_SETS)
        .inNamespace(namespace)
        .withName(workflow)
        .delete();
  }

  private void patch(String namespace, String workflow, ArrayNode ops, boolean status) {
    var r =
        client
            .genericKubernetesResources(Agent.TASK_SETS)
            .inNamespace(namespace)
            .withName(workflow);
    (status ? r.subresource("status") : r).patch(PatchContext.of(PatchType.JSON), ops.toString());
  }

  /** The TaskSet as the API has it, or null. */
  JsonNode taskSet(String namespace, String workflow) {
    GenericKubernetesResource r =
        client
            .genericKubernetesResources(Agent.TASK_SETS)
            .inNamespace(namespace)
            .withName(workflow)
            .get();
    return r == null ? null : parse(client.getKubernetesSerialization().asJson(r));
  }

  /** {@code status.nodes[id]}, or null. */
  JsonNode node(String namespace, String workflow, String nodeId) {
    JsonNode ts = taskSet(namespace, workflow);
    JsonNode n = ts == null ? null : ts.path("status").path("nodes").get(nodeId);
    return n == null || n.isNull() ? null : n;
  }

  /** Waits (bounded polling) for the node's result to match. */
  JsonNode await(
      String namespace, String workflow, String nodeId, Predicate<JsonNode> done, Duration timeout)
      throws InterruptedException {
    JsonNode[] last = new JsonNode[1];
    Await.until(
        () ->
            "node " + nodeId + " of " + namespace + "/" + workflow + " to match; last: " + last[0],
        timeout,
        () -> {
          last[0] = node(namespace, workflow, nodeId);
          return last[0] != null && done.test(last[0]);
        });
    return last[0];
  }

  /** Waits for a final result (Succeeded, Failed or Error). */
  JsonNode awaitFinal(String namespace, String workflow, String nodeId)
      throws InterruptedException {
    return await(
        namespace,
        workflow,
        nodeId,
        n -> TaskSet.FINAL_PHASES.contains(n.path("phase").asText()),
        Duration.ofSeconds(30));
  }

  /**
   * Waits until a replica's watch delivers events. fabric8's mock server 8.0.0 drops events sent
   * between a watch request and its WebSocket opening (a real API server replays them from the
   * resource version; fixed upstream, fabric8 #7867), so a test that writes a TaskSet right after a
   * replica starts could wait forever. Writes probe workflows owned by the replica until one is
   * run.
   */
  void awaitWatching(String identity, List<String> members) throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      String uid;
      do {
        uid = UUID.randomUUID().toString();
      } while (members.size() > 1 && !Membership.owner(uid, members).equals(identity));
      String wf = "probe-" + identity + "-" + i;
      createTaskSet("weft-probe", wf, uid, tasks(wf + "-1", hello("probe")), Optional.empty());
      try {
        await(
            "weft-probe",
            wf,
            wf + "-1",
            n -> TaskSet.FINAL_PHASES.contains(n.path("phase").asText()),
            Duration.ofSeconds(2));
        return;
      } catch (AssertionError notYet) {
        // the event was dropped: try again
      }
    }
    throw new AssertionError("replica " + identity + " never saw a probe workflow");
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** {@code {nodeId: template}}, in order. */
  static Map<String, String> tasks(String... idsAndTemplates) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < idsAndTemplates.length; i += 2)
      m.put(idsAndTemplates[i], idsAndTemplates[i + 1]);
    return m;
  }

  /** A processed hello step as Argo writes it into spec.tasks. */
  static String hello(String name) {
    return "{\"name\":\"hello\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\""
        + name
        + "\"}]},"
        + "\"outputs\":{\"parameters\":[{\"name\":\"greeting\",\"valueFrom\":{\"supplied\":{}}}]},\"metadata\":{},"
        + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"}}}}";
  }
}

package dev.weft.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * A finished workflow as Argo shows it ({@code argo get -o json}): metadata and status with its
 * nodes map.
 */
public final class StatusJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusJson() {}

  public static ObjectNode of(WorkflowStatus s) {
    ObjectNode root = JSON.createObjectNode();
    root.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Workflow");
    root.putObject("metadata").put("name", s.name());
    ObjectNode st = root.putObject("status");
    st.put("phase", s.phase().name());
    if (!s.message().isEmpty()) st.put("message", s.message());
    st.put("startedAt", time(s.startedAt()));
    st.put("finishedAt", time(s.finishedAt()));
    // Argo's progress updater (workflow/progress/updater.go): a leaf is done only when it
    // Succeeded (or was Skipped or Omitted); failed leaves count towards the total only
    long done =
        s.nodes().stream()
            .filter(
                n ->
                    n.type().leaf()
                        && (n.phase() == NodePhase.Succeeded
                            || n.phase() == NodePhase.Skipped
                            || n.phase() == NodePhase.Omitted))
            .count();
    long leaves = s.nodes().stream().filter(n -> n.type().leaf()).count();
    st.put("progress", done + "/" + leaves);
    ObjectNode nodes = st.putObject("nodes");
    Map<String, Node> byId = new java.util.HashMap<>();
    for (Node n : s.nodes()) byId.put(n.id(), n);
    for (Node n : s.nodes()) {
      ObjectNode o = node(n);
      if (n.type() == NodeType.DAG
          || n.type()
              == NodeType.Steps) { // Argo's outboundNodes: where the template's branches end
        List<Node> out = Nodes.outbound(n, byId, s.nodes());
        if (!(out.size() == 1 && out.get(0) == n)) {
          ArrayNode a = o.putArray("outboundNodes");
          out.forEach(x -> a.add(x.id()));
        }
      }
      nodes.set(n.id(), o);
    }
    if (!s.outputParameters().isEmpty() || !s.outputArtifacts().isEmpty()) {
      ObjectNode out = st.putObject("outputs");
      if (!s.outputParameters().isEmpty()) params(out.putArray("parameters"), s.outputParameters());
      if (!s.outputArtifacts().isEmpty()) {
        ArrayNode a = out.putArray("artifacts");
        s.outputArtifacts().forEach((k, v) -> a.add(artifact(v.renamed(k, v.path()))));
      }
    }
    st.put("artifactStore", s.artifactStore());
    return root;
  }

  static ObjectNode node(Node n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", n.id())
        .put("name", n.name())
        .put("displayName", n.displayName())
        .put("type", n.type().name())
        .put("templateName", n.templateName());
    o.put("phase", n.phase().name());
    if (!n.message().isEmpty()) o.put("message", n.message());
    if (!n.boundaryId().isEmpty()) o.put("boundaryID", n.boundaryId());
    n.startedAt().ifPresent(t -> o.put("startedAt", time(t)));
    n.finishedAt().ifPresent(t -> o.put("finishedAt", time(t)));
    List<String> children = n.children();
    if (!children.isEmpty()) {
      ArrayNode c = o.putArray("children");
      children.forEach(c::add);
    }
    if (!n.inputParameters().isEmpty() || !n.inputArtifacts().isEmpty()) {
      ObjectNode in = o.putObject("inputs");
      if (!n.inputParameters().isEmpty()) params(in.putArray("parameters"), n.inputParameters());
      if (!n.inputArtifacts().isEmpty()) {
        ArrayNode a = in.putArray("artifacts");
        n.inputArtifacts().forEach(x -> a.add(artifact(x)));
      }
    }
    Node.Outputs out = n.outputs();
    if (!out.isEmpty()) {
      ObjectNode oo = o.putObject("outputs");
      if (!out.parameters().isEmpty()) params(oo.putArray("parameters"), out.parameters());
      if (!out.artifacts().isEmpty()) {
        ArrayNode a = oo.putArray("artifacts");
        out.artifacts().forEach(x -> a.add(artifact(x)));
      }
      out.result().ifPresent(r -> oo.put("result", r));
      out.exitCode().ifPresent(r -> oo.put("exitCode", r));
    }
    return o;
  }

  private static void params(ArrayNode a, Map<String, String> params) {
    params.forEach((k, v) -> a.addObject().put("name", k).put("value", v));
  }

  private static ObjectNode artifact(ArtifactRef r) {
    ObjectNode a = JSON.createObjectNode().put("name", r.name());
    r.path().ifPresent(p -> a.put("path", p));
    r.key().ifPresent(k -> a.put("key", k));
    r.raw().ifPresent(d -> a.putObject("raw").put("data", d));
    if (r.key().isPresent() && r.archive() != Model.Archive.TGZ)
      a.putObject("archive").putObject(r.archive() == Model.Archive.NONE ? "none" : "zip");
    return a;
  }

  /** Argo writes times to the second, RFC 3339. */
  static String time(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}

package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.runtime.OutputParameter;
import dev.weft.runtime.TaskResult;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/** Builds Argo's {@code ExecuteTemplateReply} JSON. */
final class NodeResults {
  /** How much stderr a failed node's message carries (Argo shows the message in its UI). */
  static final int MESSAGE_STDERR_BYTES = 1024;

  private final ObjectMapper json;

  NodeResults(ObjectMapper json) {
    this.json = json;
  }

  /** {@code {}}: the template is not a wasm step; another plugin may take it. */
  ObjectNode notMine() {
    return json.createObjectNode();
  }

  ObjectNode failed(String message) {
    ObjectNode reply = json.createObjectNode();
    reply.putObject("node").put("phase", "Failed").put("message", message);
    return reply;
  }

  ObjectNode running(String message, String requeue) {
    ObjectNode reply = json.createObjectNode();
    reply.putObject("node").put("phase", "Running").put("message", message);
    reply.put("requeue", requeue);
    return reply;
  }

  /**
   * The task's outcome as a node: declared output parameters first, by name and with their
   * {@code globalName} echoed (Argo exports globals only from what the plugin returns), then any
   * other parameters the module reported; {@code result} is stdout; a failure's message ends
   * with the tail of stderr.
   */
  ObjectNode finished(TaskResult r, JsonNode template) {
    return finished(r, template, json.createArrayNode());
  }

  /** @param stored the output artifacts as stored (key-only), from {@link ArtifactIO#uploadOutputs} */
  ObjectNode finished(TaskResult r, JsonNode template, ArrayNode stored) {
    ObjectNode reply = json.createObjectNode();
    ObjectNode node = reply.putObject("node");
    node.put("phase", r.phase().name());
    String message = r.message();
    if (!r.succeeded()) message = withStderr(message, r.stderrTail());
    if (!r.outputArtifacts().isEmpty() && stored.isEmpty()) { // said, not silently dropped
      String names = String.join(", ", r.outputArtifacts().stream().map(a -> a.name()).toList());
      message = (message.isEmpty() ? "" : message + "; ") + "output artifacts not uploaded (" + names
          + "): weft serve has no artifact repository (--artifact-repository or --artifact-dir)";
    }
    if (!message.isEmpty()) node.put("message", message);
    ObjectNode outputs = json.createObjectNode();
    ArrayNode params = json.createArrayNode();
    Set<String> written = new HashSet<>();
    JsonNode declared = template.path("outputs").path("parameters");
    for (JsonNode d : declared) {
      String name = d.path("name").asText();
      r.outputParameter(name).ifPresent(value -> {
        ObjectNode p = params.addObject().put("name", name).put("value", value);
        if (d.hasNonNull("globalName")) p.put("globalName", d.get("globalName").asText());
        written.add(name);
      });
    }
    for (OutputParameter p : r.outputParameters()) {
      if (written.add(p.name())) params.addObject().put("name", p.name()).put("value", p.value());
    }
    if (!params.isEmpty()) outputs.set("parameters", params);
    if (!stored.isEmpty()) outputs.set("artifacts", stored);
    if (!r.result().isEmpty()) outputs.put("result", r.result());
    if (r.exitCode().isPresent()) outputs.put("exitCode", String.valueOf(r.exitCode().getAsInt()));
    if (!outputs.isEmpty()) node.set("outputs", outputs);
    return reply;
  }

  static String withStderr(String message, String stderr) {
    String s = stderr.strip();
    if (s.isEmpty()) return message;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > MESSAGE_STDERR_BYTES) {
      s = "…" + new String(b, b.length - MESSAGE_STDERR_BYTES, MESSAGE_STDERR_BYTES, StandardCharsets.UTF_8);
    }
    return message + "; stderr: " + s;
  }
}

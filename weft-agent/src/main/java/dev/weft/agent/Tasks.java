package dev.weft.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.NodeResult;
import dev.weft.argo.WasmPlugin;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent runs for each task: {@code plugin: wasm:} on the shared runtime, {@code http:},
 * and an Error for anything else.
 */
final class Tasks {
  /** One task of a TaskSet. */
  record Task(TaskSet.Ref taskSet, String nodeId, ObjectNode workflowMeta, JsonNode template) {}

  /** Runs a task to its node result. Interrupted when the task is cancelled. */
  interface Runner {
    NodeResult run(Task task) throws InterruptedException;
  }

  private Tasks() {}

  /** The agent's own dispatch. */
  static Runner dispatch(WasmPlugin wasm, HttpTemplates http) {
    return task -> {
      JsonNode t = task.template();
      if (t.path("http").isObject()) return http.run(task.taskSet().namespace(), t);
      JsonNode plugin = t.get("plugin");
      if (plugin != null && plugin.isObject()) {
        if (WasmPlugin.wasmBlock(t).isPresent()) return wasm.execute(task.workflowMeta(), t).node();
        List<String> names = new ArrayList<>();
        plugin.fieldNames().forEachRemaining(names::add);
        return NodeResult.error(
            "no agent runs plugin '"
                + String.join("', '", names)
                + "': weft agent runs plugin: wasm: and http: templates, "
                + "and with disableAgentPodCreation Argo starts no agent pod for other executor plugins");
      }
      return NodeResult.error(
          "weft agent cannot run this task: it is neither a plugin nor an http template (fields: "
              + fields(t)
              + ")");
    };
  }

  private static String fields(JsonNode t) {
    List<String> names = new ArrayList<>();
    t.fieldNames().forEachRemaining(names::add);
    return String.join(", ", names);
  }
}

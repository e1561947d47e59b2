package dev.weft.plugin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * A step as Argo's agent posts it to {@code template.execute}, checked: the workflow's metadata and
 * the template, or a refusal naming what was wrong. Strict where the protocol is: JSON only, one
 * object, nothing after it, no duplicate keys (the mapper's settings).
 */
record ExecuteRequest(JsonNode meta, JsonNode template) {
  /** A request refused: the HTTP status and a message naming what was wrong. */
  static final class Refused extends Exception {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  static ExecuteRequest read(String contentType, byte[] body, ObjectMapper json) throws Refused {
    if (contentType == null
        || !contentType.toLowerCase(java.util.Locale.ROOT).matches("application/json\\s*(;.*)?")) {
      throw new Refused(
          415,
          "Content-Type must be application/json, got "
              + (contentType == null ? "none" : "'" + Printable.of(contentType, 80) + "'"));
    }
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new Refused(400, "malformed JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Refused(400, "unreadable request body: " + e.getMessage());
    }
    if (root == null || !root.isObject())
      throw new Refused(400, "the request must be a JSON object with workflow and template");
    JsonNode template = root.get("template");
    JsonNode meta = root.path("workflow").path("metadata");
    if (template == null || !template.isObject())
      throw new Refused(400, "template is required and must be an object");
    if (!meta.isObject())
      throw new Refused(400, "workflow.metadata is required and must be an object");
    return new ExecuteRequest(meta, template);
  }

  /**
   * Which step this is, for answering repeats: the workflow (uid, or namespace/name for controllers
   * before v3.4) and a digest of the template's content with keys in order.
   */
  String key(ObjectMapper canonical) {
    String wf =
        meta.hasNonNull("uid")
            ? meta.get("uid").asText()
            : meta.path("namespace").asText("") + "/" + meta.path("name").asText("");
    try {
      byte[] canon = canonical.writeValueAsBytes(canonical.convertValue(template, Map.class));
      return wf + "/" + dev.weft.runtime.Digests.sha256(canon).substring(7);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

package dev.weft.plugin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

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
    return wf + "/" + canonicalDigest(template, canonical);
  }

  /**
   * SHA-256 (hex) of the node written as compact JSON with every object's keys in order: the bytes
   * {@code ORDER_MAP_ENTRIES_BY_KEYS} writes for it converted to maps, streamed into the digest
   * instead of built as maps and a byte array (those were 7.4 of the 15.7 KB that the request
   * path's JSON steps allocated per request; now 2.3 KB: docs/benchmarks.md §5.1).
   */
  static String canonicalDigest(JsonNode node, ObjectMapper canonical) {
    MessageDigest sha = dev.weft.runtime.Digests.newSha256();
    try (JsonGenerator g =
        canonical.createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), sha))) {
      writeSorted(g, node);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // a digest stream does not fail
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void writeSorted(JsonGenerator g, JsonNode node) throws IOException {
    if (node.isObject()) {
      List<String> names = new ArrayList<>(node.size());
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      g.writeStartObject();
      for (String name : names) {
        g.writeFieldName(name);
        writeSorted(g, node.get(name));
      }
      g.writeEndObject();
    } else if (node.isArray()) {
      g.writeStartArray();
      for (JsonNode e : node) writeSorted(g, e);
      g.writeEndArray();
    } else {
      g.writeTree(node);
    }
  }
}

package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.artifacts.ArtifactKeys;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Argo's {@code keyFormat} for output artifacts, e.g. {@code {{workflow.name}}/{{pod.name}}}.
 *
 * <p>A plugin request carries no pod and no node: {@code {{pod.name}}} stands for {@code
 * <workflow>-<template>-<fnv32a of the template JSON>}, shaped like Argo's pod names and equal for
 * repeated requests of one step (retries of the same body overwrite, never leak, objects). The
 * request has no creation time either: {@code {{workflow.creationTimestamp.X}}} uses the time of
 * the upload (UTC).
 */
final class KeyFormat {
  private static final Pattern TAG = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}");
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private KeyFormat() {}

  /** The key prefix for a step's outputs. */
  static String expand(String format, JsonNode workflowMeta, JsonNode template, ZonedDateTime now) {
    String wf = workflowMeta.path("name").asText("");
    Map<String, String> vars =
        Map.of(
            "workflow.name", wf,
            "workflow.namespace", workflowMeta.path("namespace").asText(""),
            "workflow.uid", workflowMeta.path("uid").asText(""),
            "pod.name", podName(wf, template));
    Matcher m = TAG.matcher(format);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String tag = m.group(1);
      String value = vars.get(tag);
      if (value == null && tag.startsWith("workflow.creationTimestamp."))
        value = strftime(tag.substring(27), now, format);
      if (value == null) {
        throw new ArtifactFailure(
            "keyFormat '"
                + format
                + "' uses {{"
                + tag
                + "}}, which weft cannot fill (known: workflow.name, "
                + "workflow.namespace, workflow.uid, workflow.creationTimestamp.<strftime letter>, pod.name)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String key = out.toString().replaceAll("^/+|/+$", "");
    try {
      return ArtifactKeys.check(key);
    } catch (IllegalArgumentException e) {
      throw new ArtifactFailure(
          "keyFormat '" + format + "' gives an unusable key: " + e.getMessage());
    }
  }

  static String podName(String workflow, JsonNode template) {
    String name = workflow + "-" + template.path("name").asText("step");
    byte[] canon;
    try {
      canon = CANONICAL.writeValueAsBytes(CANONICAL.convertValue(template, Map.class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return name + "-" + Integer.toUnsignedString(fnv32a(canon));
  }

  static int fnv32a(byte[] data) {
    int h = 0x811c9dc5;
    for (byte b : data) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return h;
  }

  static int fnv32a(String s) {
    return fnv32a(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String strftime(String letter, ZonedDateTime now, String format) {
    ZonedDateTime t = now.withZoneSameInstant(ZoneOffset.UTC);
    switch (letter) {
      case "Y":
        return String.format("%04d", t.getYear());
      case "y":
        return String.format("%02d", t.getYear() % 100);
      case "m":
        return String.format("%02d", t.getMonthValue());
      case "d":
        return String.format("%02d", t.getDayOfMonth());
      case "H":
        return String.format("%02d", t.getHour());
      case "M":
        return String.format("%02d", t.getMinute());
      case "S":
        return String.format("%02d", t.getSecond());
      case "j":
        return String.format("%03d", t.getDayOfYear());
      default:
        throw new ArtifactFailure(
            "keyFormat '"
                + format
                + "' uses workflow.creationTimestamp."
                + letter
                + "; weft knows Y y m d H M S j");
    }
  }
}

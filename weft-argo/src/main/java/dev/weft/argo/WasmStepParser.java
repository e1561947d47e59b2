package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.runtime.Limits;
import dev.weft.runtime.Parameter;
import dev.weft.runtime.capability.http.AllowedUrl;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code plugin.wasm} block, compatible with the earlier Rust plugin: {@code module} and
 * {@code permissions} are its keys, {@code args}, {@code env} and {@code limits} are weft's, and
 * every other key becomes a plugin option. Errors name the field.
 */
final class WasmStepParser {
  private static final String AT = "plugin.wasm";
  private static final Set<String> OWN_KEYS =
      Set.of("module", "permissions", "args", "env", "limits");
  private static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 8; // the earlier plugin's default

  private final ObjectMapper json = new ObjectMapper();

  WasmStep parse(JsonNode wasm) {
    if (!wasm.isObject())
      throw new SpecException(AT, "must be an object, found " + Json.kind(wasm));
    ModuleRef module = module(wasm.get("module"));
    List<String> args = new ArrayList<>();
    JsonNode a = wasm.get("args");
    if (a != null && !a.isNull()) {
      if (!a.isArray())
        throw new SpecException(AT + ".args", "must be a list of strings, found " + Json.kind(a));
      for (int i = 0; i < a.size(); i++) args.add(Json.scalar(a.get(i), AT + ".args[" + i + "]"));
    }
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode e = wasm.get("env");
    if (e != null && !e.isNull()) {
      if (!e.isObject())
        throw new SpecException(
            AT + ".env", "must be a map of names to strings, found " + Json.kind(e));
      for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getKey().isEmpty() || f.getKey().contains("="))
          throw new SpecException(AT + ".env", "invalid variable name '" + f.getKey() + "'");
        env.put(f.getKey(), Json.scalar(f.getValue(), AT + ".env." + f.getKey()));
      }
    }
    Optional<Long> memory = Optional.empty();
    Optional<Duration> timeout = Optional.empty();
    JsonNode l = wasm.get("limits");
    if (l != null && !l.isNull()) {
      if (!l.isObject())
        throw new SpecException(
            AT + ".limits", "must be an object with memory and/or timeout, found " + Json.kind(l));
      for (Iterator<String> it = l.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.equals("memory") && !k.equals("timeout"))
          throw new SpecException(AT + ".limits." + k, "unknown limit (known: memory, timeout)");
      }
      if (l.hasNonNull("memory"))
        memory =
            Optional.of(
                parse(
                    () ->
                        Limits.parseBytes(
                            AT + ".limits.memory",
                            Json.scalar(l.get("memory"), AT + ".limits.memory"))));
      if (l.hasNonNull("timeout"))
        timeout =
            Optional.of(
                parse(
                    () ->
                        Limits.parseDuration(
                            AT + ".limits.timeout",
                            Json.scalar(l.get("timeout"), AT + ".limits.timeout"))));
    }
    List<String> hosts = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    int maxRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    JsonNode p = wasm.get("permissions");
    if (p != null && !p.isNull()) {
      if (!p.isObject())
        throw new SpecException(AT + ".permissions", "must be an object, found " + Json.kind(p));
      for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.equals("http") && !k.equals("secrets"))
          throw new SpecException(
              AT + ".permissions." + k, "unknown permission (known: http, secrets)");
      }
      JsonNode s = p.get("secrets");
      if (s != null && !s.isNull()) {
        if (!s.isArray())
          throw new SpecException(
              AT + ".permissions.secrets", "must be a list of Secret names, found " + Json.kind(s));
        for (int i = 0; i < s.size(); i++)
          secrets.add(Json.scalar(s.get(i), AT + ".permissions.secrets[" + i + "]"));
      }
      JsonNode http = p.get("http");
      if (http != null && !http.isNull()) {
        String at = AT + ".permissions.http";
        if (!http.isObject())
          throw new SpecException(at, "must be an object, found " + Json.kind(http));
        JsonNode allowed = http.get("allowed_hosts");
        if (allowed == null || !allowed.isArray())
          throw new SpecException(at + ".allowed_hosts", "is required and must be a list of URLs");
        for (int i = 0; i < allowed.size(); i++) {
          String entry = Json.scalar(allowed.get(i), at + ".allowed_hosts[" + i + "]");
          try {
            AllowedUrl.parse(entry);
          } catch (IllegalArgumentException bad) {
            throw new SpecException(at + ".allowed_hosts[" + i + "]", bad.getMessage());
          }
          hosts.add(entry);
        }
        JsonNode max = http.get("max_concurrent_requests");
        if (max != null && !max.isNull()) {
          if (!max.canConvertToInt() || max.asInt() < 1)
            throw new SpecException(
                at + ".max_concurrent_requests", "must be a positive integer, found " + max);
          maxRequests = max.asInt();
        }
      }
    }
    List<Parameter> options = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = wasm.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!OWN_KEYS.contains(f.getKey()))
        options.add(new Parameter(f.getKey(), json.convertValue(f.getValue(), Object.class)));
    }
    return new WasmStep(module, args, env, memory, timeout, hosts, maxRequests, options, secrets);
  }

  private ModuleRef module(JsonNode m) {
    String at = AT + ".module";
    if (m == null || m.isNull())
      throw new SpecException(at, "is required: give one of file, http or oci");
    if (!m.isObject())
      throw new SpecException(
          at, "must be an object with one of file, http or oci, found " + Json.kind(m));
    List<String> kinds = new ArrayList<>();
    m.fieldNames().forEachRemaining(kinds::add);
    if (kinds.size() != 1)
      throw new SpecException(
          at,
          "must have exactly one of file, http or oci, found "
              + (kinds.isEmpty() ? "none" : String.join(", ", kinds)));
    String kind = kinds.get(0);
    JsonNode v = m.get(kind);
    switch (kind) {
      case "file":
        return new ModuleRef.File(Json.scalar(v, at + ".file"));
      case "oci":
        return new ModuleRef.Oci(Json.scalar(v, at + ".oci"));
      case "http":
        {
          if (!v.isObject())
            throw new SpecException(at + ".http", "must be an object with url and sha256");
          String url = Json.scalar(v.get("url"), at + ".http.url");
          URI uri;
          try {
            uri = URI.create(url);
          } catch (IllegalArgumentException e) {
            throw new SpecException(at + ".http.url", "not a URL: " + url);
          }
          if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()))
            throw new SpecException(at + ".http.url", "must be http or https: " + url);
          String sha = Json.scalar(v.get("sha256"), at + ".http.sha256");
          String hex = sha.startsWith("sha256:") ? sha.substring(7) : sha;
          if (!hex.matches("[0-9a-fA-F]{64}"))
            throw new SpecException(
                at + ".http.sha256",
                "must be 64 hex digits (weft runs only pinned HTTP modules), found '" + sha + "'");
          return new ModuleRef.Http(uri, hex.toLowerCase(java.util.Locale.ROOT));
        }
      default:
        throw new SpecException(at + "." + kind, "unknown module kind (known: file, http, oci)");
    }
  }

  private interface Parse<T> {
    T get();
  }

  private static <T> T parse(Parse<T> p) {
    try {
      return p.get();
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      int colon = msg.indexOf(": ");
      throw new SpecException(
          colon > 0 ? msg.substring(0, colon) : AT, colon > 0 ? msg.substring(colon + 2) : msg);
    }
  }
}

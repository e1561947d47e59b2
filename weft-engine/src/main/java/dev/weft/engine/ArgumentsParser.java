package dev.weft.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.engine.Model.Archive;
import dev.weft.engine.Model.Arguments;
import dev.weft.engine.Model.Artifact;
import dev.weft.engine.Model.Outputs;
import dev.weft.engine.Model.Param;
import dev.weft.engine.Model.ValueFrom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Parameters and artifacts, wherever they stand: a step's or hook's {@code arguments}, a template's
 * {@code inputs} and {@code outputs}, the workflow's {@code spec.arguments}.
 */
final class ArgumentsParser {
  private final ParseContext ctx;

  ArgumentsParser(ParseContext ctx) {
    this.ctx = ctx;
  }

  Arguments arguments(YamlMap a) {
    a.only(Set.of("parameters", "artifacts"));
    List<Param> params = new ArrayList<>();
    for (YamlMap p : a.objs("parameters")) {
      Param param = param(p, false);
      param
          .valueFrom()
          .ifPresent(
              vf -> {
                if (vf.path().isPresent()
                    || vf.parameter().isPresent()
                    || vf.supplied()
                    || vf.defaultValue().isPresent()) {
                  throw ctx.error(
                      p.at("valueFrom"), "an argument takes value or valueFrom.expression");
                }
              });
      params.add(param);
    }
    List<Artifact> arts = new ArrayList<>();
    for (YamlMap x : a.objs("artifacts")) arts.add(artifact(x));
    checkUnique(a, params.stream().map(Param::name).toList(), "parameters");
    checkUnique(a, arts.stream().map(Artifact::name).toList(), "artifacts");
    return new Arguments(params, arts);
  }

  Arguments inputs(YamlMap a) {
    for (YamlMap p : a.objs("parameters")) {
      if (p.has("valueFrom"))
        throw ctx.error(
            p.at("valueFrom"),
            "input parameters take value or default in weft run (valueFrom needs a cluster)");
    }
    return arguments(a);
  }

  Outputs outputs(YamlMap o) {
    o.only(Set.of("parameters", "artifacts", "result", "exitCode"));
    if (o.has("result") || o.has("exitCode")) {
      throw ctx.error(
          o.at(o.has("result") ? "result" : "exitCode"), "is set by weft, not declared");
    }
    List<Param> params = new ArrayList<>();
    for (YamlMap p : o.objs("parameters")) params.add(param(p, true));
    List<Artifact> arts = new ArrayList<>();
    for (YamlMap x : o.objs("artifacts")) arts.add(artifact(x));
    return new Outputs(params, arts);
  }

  private void checkUnique(YamlMap at, List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String n : names)
      if (!seen.add(n)) throw ctx.error(at.at(what), "'" + n + "' is given twice");
  }

  private Param param(YamlMap p, boolean output) {
    p.only(Set.of("name", "value", "default", "valueFrom", "globalName", "enum", "description"));
    String name = p.required("name");
    if (!name.matches("[-a-zA-Z0-9_]+"))
      throw ctx.error(
          p.at("name"), "'" + name + "' is not a valid parameter name (letters, digits, - and _)");
    Optional<ValueFrom> vf =
        p.obj("valueFrom")
            .map(
                v -> {
                  v.only(Set.of("path", "parameter", "expression", "default", "supplied"));
                  return new ValueFrom(
                      v.str("path"),
                      v.str("parameter"),
                      v.str("expression"),
                      v.str("default"),
                      v.node.has("supplied"));
                });
    List<String> enums = new ArrayList<>();
    List<JsonNode> e = p.list("enum");
    for (JsonNode n : e) enums.add(n.asText());
    return new Param(name, p.str("value"), p.str("default"), vf, p.str("globalName"), enums);
  }

  private Artifact artifact(YamlMap a) {
    a.only(
        Set.of(
            "name",
            "path",
            "from",
            "raw",
            "optional",
            "archive",
            "globalName",
            "mode",
            "recurseMode"));
    String name = a.required("name");
    Optional<String> raw =
        a.obj("raw")
            .map(
                r -> {
                  r.only(Set.of("data"));
                  return r.required("data");
                });
    for (String f : new String[] {"mode", "recurseMode"}) {
      if (a.has(f))
        ctx.warn(
            a.at(f),
            "has no effect in weft run (files in the sandbox have fixed modes) and is ignored");
    }
    String declared = a.str("path").orElse("");
    if (a.path.contains("inputs.artifacts")
        && declared.matches("/[^/]+")) { // the sandbox preopens directories, not /
      ctx.warn(
          a.at("path"),
          "is directly under /: a plain-WASI module finds this input at "
              + "/work/artifacts-in"
              + declared
              + ", not at "
              + declared
              + " (a path below a directory, e.g. /tmp"
              + declared
              + ", works at both)");
    }
    Archive archive = Archive.TGZ;
    Optional<YamlMap> ar = a.obj("archive");
    if (ar.isPresent()) {
      ar.get().only(Set.of("tar", "none", "zip"));
      ar.get()
          .obj("tar")
          .ifPresent(
              t -> {
                t.only(Set.of("compressionLevel"));
                if (t.has("compressionLevel"))
                  ctx.warn(
                      t.at("compressionLevel"),
                      "is ignored: weft run packs with gzip's default level");
              });
      if (ar.get().node.has("none")) archive = Archive.NONE;
      else if (ar.get().node.has("zip")) archive = Archive.ZIP;
    }
    return new Artifact(
        name,
        a.str("path"),
        a.str("from"),
        raw,
        a.bool("optional").orElse(false),
        archive,
        a.str("globalName"));
  }
}

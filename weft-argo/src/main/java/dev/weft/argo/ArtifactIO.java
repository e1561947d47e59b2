package dev.weft.argo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.weft.artifacts.Archives;
import dev.weft.artifacts.ArtifactNotFoundException;
import dev.weft.artifacts.ArtifactRepository;
import dev.weft.artifacts.ArtifactRepository.SecretRef;
import dev.weft.artifacts.ArtifactStore;
import dev.weft.artifacts.RangeReadable;
import dev.weft.artifacts.RepositoryStores;
import dev.weft.artifacts.S3Store;
import dev.weft.artifacts.SecretSource;
import dev.weft.runtime.Limits;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argo's artifacts for {@code weft serve}: fetches and unpacks input artifacts (key-only and full
 * {@code s3}, {@code http}, {@code raw}), and packs and stores output artifacts under Argo's keys,
 * replying key-only as Argo does. Credentials stay here; the module only ever sees the files.
 */
final class ArtifactIO {
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactIO.class);
  private static final int MAX_REDIRECTS = 5;
  private static final List<String> OTHER_KINDS =
      List.of("git", "artifactory", "hdfs", "oss", "gcs", "azure", "plugin");

  private final ArtifactSettings settings;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private final ObjectMapper json = new ObjectMapper();
  private final LazyInputs lazy;
  private final ArtifactUrls urls;
  private final OutputArtifacts outputs;

  ArtifactIO(ArtifactSettings settings) {
    this.settings = settings;
    this.urls = new ArtifactUrls(settings, http);
    this.lazy = new LazyInputs(settings.lazyThreshold());
    this.outputs = new OutputArtifacts(settings);
  }

  // ---- inputs ----

  /**
   * Fetches each input artifact into scratch and adds it to the task.
   *
   * @param toClose collects what must be closed after the run (lazily read inputs)
   */
  void stageInputs(
      JsonNode template,
      TaskSpec.Builder b,
      Path scratch,
      List<AutoCloseable> toClose,
      StepArtifacts repository) {
    JsonNode artifacts = template.path("inputs").path("artifacts");
    List<String> declared = new java.util.ArrayList<>();
    for (JsonNode a : artifacts) declared.add(a.path("path").asText(""));
    for (JsonNode a : template.path("outputs").path("artifacts"))
      declared.add(a.path("path").asText(""));
    for (int i = 0; i < artifacts.size(); i++) {
      stageOne(
          artifacts.get(i),
          i,
          "inputs.artifacts[" + i + "]",
          b,
          scratch,
          toClose,
          declared,
          repository);
    }
  }

  private void stageOne(
      JsonNode a,
      int index,
      String at,
      TaskSpec.Builder b,
      Path scratch,
      List<AutoCloseable> toClose,
      List<String> declared,
      StepArtifacts repository) {
    String name = Json.scalar(a.get("name"), at + ".name");
    String path = a.hasNonNull("path") ? Json.scalar(a.get("path"), at + ".path") : "/" + name;
    boolean optional = a.path("optional").asBoolean(false);
    String what = "input artifact '" + name + "'";
    try {
      Files.createDirectories(scratch);
      String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
      Path download = scratch.resolve("in-" + index + "-" + safe + ".download");
      Path staged = scratch.resolve("in-" + index + "-" + safe);
      if (a.has("raw")) {
        String data = Json.scalar(a.path("raw").get("data"), at + ".raw.data");
        Files.writeString(staged, data, StandardCharsets.UTF_8);
        addInput(b, name, path, staged, at);
        return;
      }
      if (a.has("s3")) {
        JsonNode s3 = a.get("s3");
        String key = s3.path("key").asText("");
        if (key.isEmpty()) throw new SpecException(at + ".s3.key", "is missing");
        StoreRef store = storeFor(s3, at, what, repository.get());
        boolean keepOpen = false;
        try {
          if (lazy.tryMount(store.store(), key, a, path, declared, b, toClose, what)) {
            toClose.add(store::closeIfOwned); // the module reads through it: closed after the run
            keepOpen = true;
            return;
          }
          fetchFromStore(store.store(), key, download, what);
        } catch (ArtifactNotFoundException e) {
          if (optional) return;
          throw new ArtifactFailure(what + ": " + e.getMessage());
        } finally {
          if (!keepOpen) store.closeIfOwned();
        }
      } else if (a.has("http")) {
        String url = Json.scalar(a.path("http").get("url"), at + ".http.url");
        if (a.path("http").has("auth"))
          throw new SpecException(
              at + ".http.auth", "is not supported by weft (use headers, or s3)");
        if (!urls.get(URI.create(url), a.path("http").path("headers"), download, what, optional))
          return;
      } else {
        for (String kind : OTHER_KINDS) {
          if (a.has(kind))
            throw new SpecException(
                at + "." + kind,
                what + " is on " + kind + ", which weft does not support (s3, http, raw)");
        }
        if (optional) return;
        throw new SpecException(
            at, what + " has no location (s3, http or raw) and is not optional");
      }
      unpack(a, download, staged, what, at);
      addInput(b, name, path, staged, at);
    } catch (IOException e) {
      throw new ArtifactFailure(what + ": " + e.getMessage(), e);
    }
  }

  private static void addInput(TaskSpec.Builder b, String name, String path, Path file, String at) {
    try {
      b.inputArtifact(name, path, file);
    } catch (IllegalArgumentException e) {
      throw new SpecException(at + ".path", e.getMessage());
    }
  }

  private void fetchFromStore(ArtifactStore store, String key, Path download, String what)
      throws IOException {
    if (store instanceof RangeReadable r) {
      checkSize(
          r.totalSize(key),
          settings.maxArtifactBytes(),
          what,
          "'" + key + "'"); // a directory (key prefix) counts all its objects
    }
    store.get(key, download);
  }

  /**
   * Argo's loading rules: none → as is; tar → untar; zip → unzip; unset → untar if it is a gzip'd
   * tar.
   */
  private void unpack(JsonNode a, Path download, Path staged, String what, String at)
      throws IOException {
    JsonNode archive = a.path("archive");
    Archives.Format detected = Archives.detect(download);
    Archives.Format format;
    if (archive.has("none")) {
      format = Archives.Format.PLAIN;
    } else if (archive.has("zip")) {
      if (detected != Archives.Format.ZIP)
        throw new ArtifactFailure(what + " is declared archive: zip but is not a zip file");
      format = Archives.Format.ZIP;
    } else if (archive.has("tar")) {
      if (detected != Archives.Format.TGZ)
        throw new ArtifactFailure(what + " is declared archive: tar but is not a gzip'd tar");
      format = Archives.Format.TGZ;
    } else {
      format = detected == Archives.Format.TGZ ? Archives.Format.TGZ : Archives.Format.PLAIN;
    }
    try {
      Archives.unpack(
          download,
          staged,
          format,
          new Archives.UnpackLimits(settings.maxArtifactBytes(), 100_000));
    } catch (IOException e) {
      throw new ArtifactFailure(what + ": cannot unpack: " + e.getMessage(), e);
    }
  }

  /** A store for an {@code s3:} location, and whether it was made for this artifact only. */
  record StoreRef(ArtifactStore store, boolean owned) {
    void closeIfOwned() {
      if (owned && store instanceof S3Store s) s.close();
    }
  }

  private StoreRef storeFor(JsonNode s3, String at, String what, ArtifactScope scope)
      throws IOException {
    String endpoint = s3.path("endpoint").asText("");
    String bucket = s3.path("bucket").asText("");
    if (endpoint.isEmpty() && bucket.isEmpty()) {
      return new StoreRef(
          scope
              .store()
              .orElseThrow(
                  () ->
                      new SpecException(
                          at + ".s3",
                          what
                              + " is key-only, which is not supported without an artifact repository ("
                              + scope.origin()
                              + ")")),
          false);
    }
    Optional<ArtifactRepository> base = scope.repository();
    Optional<Boolean> insecure =
        s3.has("insecure") ? Optional.of(s3.get("insecure").asBoolean()) : Optional.empty();
    Optional<SecretRef> access = secretRef(s3, "accessKeySecret", at);
    Optional<SecretRef> secret = secretRef(s3, "secretKeySecret", at);
    boolean ownSecrets = access.isPresent() || secret.isPresent();
    ArtifactRepository loc;
    if (base.isPresent()) {
      loc =
          base.get()
              .overlay(endpoint, bucket, s3.path("region").asText(""), insecure, access, secret);
      if (!ownSecrets
          && loc.endpoint().equals(base.get().endpoint())
          && loc.bucket().equals(base.get().bucket())
          && scope.store().isPresent()) {
        return new StoreRef(scope.store().get(), false);
      }
    } else {
      if (endpoint.isEmpty() || bucket.isEmpty()) {
        throw new SpecException(
            at + ".s3",
            "needs both endpoint and bucket when there is no S3 artifact repository ("
                + scope.origin()
                + ")");
      }
      loc =
          new ArtifactRepository(
              endpoint,
              bucket,
              s3.path("region").asText(""),
              insecure.orElse(false),
              true,
              access,
              secret,
              Optional.empty(),
              Optional.empty(),
              false,
              null);
    }
    if (base.isEmpty() || !loc.endpoint().equals(base.get().endpoint())) {
      URI u =
          URI.create(
              (loc.endpoint().contains("://") ? "" : loc.insecure() ? "http://" : "https://")
                  + loc.endpoint()
                  + "/");
      urls.checkAllowed(u, "s3 endpoint of " + at);
    }
    // The step's own Secret references are read where the step's Secrets live (the workflow's
    // namespace in a pool); what the location inherits from the repository, where the
    // repository's do.
    Set<SecretRef> own = new HashSet<>();
    access.ifPresent(own::add);
    secret.ifPresent(own::add);
    SecretSource secrets =
        ownSecrets
            ? new StepSecrets(own, scope.stepSecrets(), scope.repositorySecrets())
            : scope.repositorySecrets();
    try {
      return new StoreRef(RepositoryStores.open(loc, secrets, scope.ambient()), true);
    } catch (IOException e) {
      // A field of the step's own s3: block S3 cannot take is the step's fault, named as such.
      if (e.getCause() instanceof IllegalArgumentException)
        throw new SpecException(at + ".s3", e.getMessage());
      throw e;
    }
  }

  /** A step's own Secret references from one source, the rest from the repository's. */
  private record StepSecrets(Set<SecretRef> own, SecretSource step, SecretSource repository)
      implements SecretSource {
    @Override
    public String read(SecretRef ref) throws IOException {
      return (own.contains(ref) ? step : repository).read(ref);
    }

    @Override
    public boolean configured() {
      return step.configured();
    }
  }

  private static Optional<SecretRef> secretRef(JsonNode s3, String field, String at) {
    JsonNode n = s3.get(field);
    if (n == null || n.isNull()) return Optional.empty();
    String name = n.path("name").asText("");
    String key = n.path("key").asText("");
    if (name.isEmpty() || key.isEmpty())
      throw new SpecException(at + ".s3." + field, "needs name and key");
    return Optional.of(new SecretRef(name, key));
  }

  /**
   * Packs and stores the task's output artifacts. Returns Argo's {@code outputs.artifacts}:
   * key-only {@code s3: {key}}, with {@code globalName} and {@code archive} echoed from the
   * template; empty when there are none, and empty too without a repository (the caller says so in
   * the message).
   */
  ArrayNode uploadOutputs(
      TaskResult r,
      JsonNode template,
      JsonNode workflowMeta,
      Path scratch,
      StepArtifacts repository) {
    return outputs.upload(r, template, workflowMeta, scratch, repository);
  }

  static void checkSize(long size, long max, String what, String source) {
    if (size > max) {
      throw new ArtifactFailure(
          what
              + " ("
              + source
              + ") is "
              + size
              + " bytes, over the artifact size limit of "
              + Limits.formatBytes(max)
              + " (--artifact-max-size)");
    }
  }
}

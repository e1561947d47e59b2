package dev.weft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.runtime.ModuleFetchException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A small OCI distribution client on {@code java.net.http}, for Wasm modules: pull (tag or digest,
 * through an image index to its Wasm platform, one Wasm layer of any format in use, every digest
 * verified) and push (the CNCF Wasm artifact layout). Anonymous, token and basic auth.
 */
public final class RegistryClient {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String WASM_CONFIG = "application/vnd.wasm.config.v0+json";
  static final String WASM_LAYER = "application/wasm";

  /** Layers that are the module itself: CNCF, then wasm-to-oci's (used by the earlier plugin). */
  static final Set<String> WASM_LAYERS =
      Set.of(
          WASM_LAYER,
          "application/vnd.wasm.content.layer.v1+wasm",
          "application/vnd.module.wasm.content.layer.v1+wasm");

  /** Image layers that may hold one .wasm file. */
  static final Set<String> TAR_LAYERS =
      Set.of(
          "application/vnd.oci.image.layer.v1.tar",
          "application/vnd.oci.image.layer.v1.tar+gzip",
          "application/vnd.docker.image.rootfs.diff.tar.gzip");

  private static final long MAX_MANIFEST_BYTES = 4L << 20;
  private static final long MAX_MODULE_BYTES = 128L << 20;
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final HttpClient http;
  private final Set<String> insecure;
  private final Credentials credentials;
  private final Duration timeout;
  private final Progress progress;
  private final ObjectMapper json = new ObjectMapper();
  private final RegistryHttp transport;

  private RegistryClient(Builder b) {
    this.insecure = Set.copyOf(b.insecure);
    this.credentials = b.credentials;
    this.timeout = b.timeout;
    this.progress = b.progress;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(b.timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.transport = new RegistryHttp(http, insecure, credentials, timeout);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Told how a module download advances (modules over 1 MiB), e.g. to draw a progress line. */
  public interface Progress {
    void downloaded(String digest, long bytes, long total);
  }

  /** Options for a {@link RegistryClient}. */
  public static final class Builder {
    private final Set<String> insecure = new HashSet<>();
    private Progress progress = (digest, bytes, total) -> {};
    private Credentials credentials = Credentials.anonymous();
    private Duration timeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Plain HTTP for this registry ({@code host:port}); all others use HTTPS. */
    public Builder insecure(String hostPort) {
      insecure.add(hostPort);
      return this;
    }

    public Builder credentials(Credentials c) {
      this.credentials = java.util.Objects.requireNonNull(c);
      return this;
    }

    public Builder timeout(Duration d) {
      this.timeout = java.util.Objects.requireNonNull(d);
      return this;
    }

    public Builder progress(Progress p) {
      this.progress = java.util.Objects.requireNonNull(p);
      return this;
    }

    public RegistryClient build() {
      return new RegistryClient(this);
    }
  }

  /**
   * The digest of the manifest a reference points to now. Asks with HEAD first (registries such as
   * Docker Hub count GETs against pull limits) and falls back to fetching the manifest.
   */
  public String resolve(ImageRef ref) {
    if (ref.digest().isPresent()) return ref.digest().get();
    HttpResponse<byte[]> head =
        transport.send(
            ref,
            "pull",
            HttpRequest.newBuilder(transport.url(ref, "/manifests/" + ref.reference()))
                .header(
                    "Accept",
                    String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    Optional<String> digest = head.headers().firstValue("Docker-Content-Digest");
    if (head.statusCode() == 200
        && digest.isPresent()
        && digest.get().matches("sha256:[0-9a-f]{64}")) return digest.get();
    return manifest(ref, ref.reference()).digest();
  }

  public Pulled pull(ImageRef ref) {
    Manifest m = manifest(ref, ref.reference());
    if (m.isIndex()) m = manifest(ref, wasmPlatform(ref, m));
    JsonNode layers = m.body().path("layers");
    List<String> types = new ArrayList<>();
    List<JsonNode> wasm = new ArrayList<>();
    List<JsonNode> tar = new ArrayList<>();
    for (JsonNode l : layers) {
      String t = l.path("mediaType").asText();
      types.add(t);
      if (WASM_LAYERS.contains(t)) wasm.add(l);
      else if (TAR_LAYERS.contains(t)) tar.add(l);
    }
    if (wasm.size() > 1) {
      throw new ModuleFetchException(
          ref + " has " + wasm.size() + " Wasm layers; weft runs one module per artifact");
    }
    if (wasm.size() == 1) {
      JsonNode l = wasm.get(0);
      byte[] module = blob(ref, l);
      return new Pulled(
          module, m.digest(), l.path("digest").asText(), l.path("mediaType").asText());
    }
    if (tar.size() == 1) {
      JsonNode l = tar.get(0);
      byte[] module =
          TarLayer.singleWasm(blob(ref, l), l.path("digest").asText(), MAX_MODULE_BYTES);
      return new Pulled(module, m.digest(), sha256(module), l.path("mediaType").asText());
    }
    throw new ModuleFetchException(
        ref
            + " has no Wasm layer: found "
            + (types.isEmpty() ? "no layers" : String.join(", ", types))
            + " (weft accepts "
            + String.join(", ", WASM_LAYERS)
            + ", or one image layer holding a single .wasm)");
  }

  /** Pushes a module in the CNCF Wasm artifact layout and tags it. */
  public Pushed push(
      byte[] module, String fileName, ImageRef ref, Map<String, String> annotations) {
    if (ref.digest().isPresent()) {
      throw new IllegalArgumentException(
          "push needs a tag, not a digest: the digest is the manifest's, known only after the push ("
              + ref
              + ")");
    }
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = uploadBlob(ref, config);
    String moduleDigest = uploadBlob(ref, module);
    ObjectNode manifest = json.createObjectNode();
    manifest
        .put("schemaVersion", 2)
        .put("mediaType", OCI_MANIFEST)
        .put("artifactType", WASM_CONFIG);
    manifest
        .putObject("config")
        .put("mediaType", WASM_CONFIG)
        .put("digest", configDigest)
        .put("size", config.length);
    ObjectNode layer =
        manifest
            .putArray("layers")
            .addObject()
            .put("mediaType", WASM_LAYER)
            .put("digest", moduleDigest)
            .put("size", module.length);
    layer.putObject("annotations").put("org.opencontainers.image.title", fileName);
    if (!annotations.isEmpty()) {
      ObjectNode a = manifest.putObject("annotations");
      annotations.forEach(a::put);
    }
    byte[] body;
    try {
      body = json.writeValueAsBytes(manifest);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String target = ref.tag().orElseThrow();
    HttpResponse<byte[]> r =
        transport.send(
            ref,
            "push",
            HttpRequest.newBuilder(transport.url(ref, "/manifests/" + target))
                .header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    RegistryHttp.expect(r, ref, "storing the manifest", 201, 200);
    return new Pushed(sha256(body), moduleDigest);
  }

  private record Manifest(String digest, String mediaType, JsonNode body) {
    boolean isIndex() {
      return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST) || body.has("manifests");
    }
  }

  private Manifest manifest(ImageRef ref, String reference) {
    HttpResponse<byte[]> r =
        transport.send(
            ref,
            "pull",
            HttpRequest.newBuilder(transport.url(ref, "/manifests/" + reference))
                .header(
                    "Accept",
                    String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST))
                .GET());
    if (r.statusCode() == 404)
      throw new ModuleFetchException(
          ref.name() + ":" + reference + " not found in the registry (HTTP 404)");
    RegistryHttp.expect(r, ref, "fetching the manifest " + reference, 200);
    if (r.body().length > MAX_MANIFEST_BYTES)
      throw new ModuleFetchException("the manifest of " + ref + " is larger than 4 MiB");
    String digest = sha256(r.body());
    if (reference.startsWith("sha256:") && !reference.equals(digest)) {
      throw new ModuleFetchException(
          "digest mismatch for the manifest of "
              + ref
              + ": expected "
              + reference
              + ", got "
              + digest);
    }
    Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest");
    if (claimed.isPresent()
        && claimed.get().startsWith("sha256:")
        && !claimed.get().equals(digest)) {
      throw new ModuleFetchException(
          "digest mismatch for the manifest of "
              + ref
              + ": the registry says "
              + claimed.get()
              + ", got "
              + digest);
    }
    JsonNode body;
    try {
      body = json.readTree(r.body());
    } catch (IOException e) {
      throw new ModuleFetchException("the manifest of " + ref + " is not JSON: " + e.getMessage());
    }
    String type =
        body.path("mediaType").asText(r.headers().firstValue("Content-Type").orElse(OCI_MANIFEST));
    return new Manifest(digest, type.replaceFirst(";.*", "").trim(), body);
  }

  private String wasmPlatform(ImageRef ref, Manifest index) {
    List<String> seen = new ArrayList<>();
    for (JsonNode m : index.body().path("manifests")) {
      JsonNode p = m.path("platform");
      String arch = p.path("architecture").asText();
      String os = p.path("os").asText();
      seen.add(os + "/" + arch);
      if (arch.equals("wasm") && (os.equals("wasip1") || os.equals("wasi")))
        return m.path("digest").asText();
    }
    throw new ModuleFetchException(
        ref
            + " is an image index without a Wasm platform (wasip1/wasm or wasi/wasm): found "
            + (seen.isEmpty() ? "no platforms" : String.join(", ", seen)));
  }

  private byte[] blob(ImageRef ref, JsonNode descriptor) {
    String digest = descriptor.path("digest").asText();
    long size = descriptor.path("size").asLong(-1);
    if (!digest.matches("sha256:[0-9a-f]{64}"))
      throw new ModuleFetchException(
          ref + ": layer digest '" + digest + "' is not a sha256 digest");
    if (size > MAX_MODULE_BYTES)
      throw new ModuleFetchException(
          ref + ": layer " + digest + " is " + size + " bytes, over the 128 MiB module limit");
    HttpResponse<byte[]> r =
        transport.send(
            ref,
            "pull",
            HttpRequest.newBuilder(transport.url(ref, "/blobs/" + digest)).GET(),
            size > (1 << 20) ? (bytes -> progress.downloaded(digest, bytes, size)) : null);
    RegistryHttp.expect(r, ref, "fetching blob " + digest, 200);
    String got = sha256(r.body());
    if (!got.equals(digest)) {
      throw new ModuleFetchException(
          "digest mismatch for a layer of " + ref + ": expected " + digest + ", got " + got);
    }
    return r.body();
  }

  private String uploadBlob(ImageRef ref, byte[] data) {
    String digest = sha256(data);
    HttpResponse<byte[]> start =
        transport.send(
            ref,
            "push",
            HttpRequest.newBuilder(transport.url(ref, "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    RegistryHttp.expect(start, ref, "starting a blob upload", 202);
    String location =
        start
            .headers()
            .firstValue("Location")
            .orElseThrow(
                () -> new ModuleFetchException(ref.registry() + " gave no upload location"));
    URI upload = transport.url(ref, "").resolve(location);
    String sep = upload.getRawQuery() == null ? "?" : "&";
    URI put =
        URI.create(upload + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    HttpResponse<byte[]> done =
        transport.send(
            ref,
            "push",
            HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    RegistryHttp.expect(done, ref, "uploading blob " + digest, 201);
    return digest;
  }

  static String sha256(byte[] data) {
    return dev.weft.runtime.Digests.sha256(data);
  }
}

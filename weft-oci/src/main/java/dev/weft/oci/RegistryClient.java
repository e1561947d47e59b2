package dev.weft.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.runtime.ModuleFetchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
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
  static final Set<String> WASM_LAYERS = Set.of(WASM_LAYER, "application/vnd.wasm.content.layer.v1+wasm",
      "application/vnd.module.wasm.content.layer.v1+wasm");
  /** Image layers that may hold one .wasm file. */
  static final Set<String> TAR_LAYERS = Set.of("application/vnd.oci.image.layer.v1.tar", "application/vnd.oci.image.layer.v1.tar+gzip",
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
  /** Bearer tokens by registry and scope, so a pull asks the token service once. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  private RegistryClient(Builder b) {
    this.insecure = Set.copyOf(b.insecure);
    this.credentials = b.credentials;
    this.timeout = b.timeout;
    this.progress = b.progress;
    this.http = HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
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
   * The digest of the manifest a reference points to now. Asks with HEAD first (registries such
   * as Docker Hub count GETs against pull limits) and falls back to fetching the manifest.
   */
  public String resolve(ImageRef ref) {
    if (ref.digest().isPresent()) return ref.digest().get();
    HttpResponse<byte[]> head = send(ref, "pull", HttpRequest.newBuilder(url(ref, "/manifests/" + ref.reference()))
        .header("Accept", String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    Optional<String> digest = head.headers().firstValue("Docker-Content-Digest");
    if (head.statusCode() == 200 && digest.isPresent() && digest.get().matches("sha256:[0-9a-f]{64}")) return digest.get();
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
      throw new ModuleFetchException(ref + " has " + wasm.size() + " Wasm layers; weft runs one module per artifact");
    }
    if (wasm.size() == 1) {
      JsonNode l = wasm.get(0);
      byte[] module = blob(ref, l);
      return new Pulled(module, m.digest(), l.path("digest").asText(), l.path("mediaType").asText());
    }
    if (tar.size() == 1) {
      JsonNode l = tar.get(0);
      byte[] module = TarLayer.singleWasm(blob(ref, l), l.path("digest").asText(), MAX_MODULE_BYTES);
      return new Pulled(module, m.digest(), sha256(module), l.path("mediaType").asText());
    }
    throw new ModuleFetchException(ref + " has no Wasm layer: found " + (types.isEmpty() ? "no layers" : String.join(", ", types))
        + " (weft accepts " + String.join(", ", WASM_LAYERS) + ", or one image layer holding a single .wasm)");
  }

  /** Pushes a module in the CNCF Wasm artifact layout and tags it. */
  public Pushed push(byte[] module, String fileName, ImageRef ref, Map<String, String> annotations) {
    if (ref.digest().isPresent()) {
      throw new IllegalArgumentException("push needs a tag, not a digest: the digest is the manifest's, known only after the push (" + ref + ")");
    }
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = uploadBlob(ref, config);
    String moduleDigest = uploadBlob(ref, module);
    ObjectNode manifest = json.createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", OCI_MANIFEST).put("artifactType", WASM_CONFIG);
    manifest.putObject("config").put("mediaType", WASM_CONFIG).put("digest", configDigest).put("size", config.length);
    ObjectNode layer = manifest.putArray("layers").addObject().put("mediaType", WASM_LAYER).put("digest", moduleDigest).put("size", module.length);
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
    HttpResponse<byte[]> r = send(ref, "push", HttpRequest.newBuilder(url(ref, "/manifests/" + target))
        .header("Content-Type", OCI_MANIFEST).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    expect(r, ref, "storing the manifest", 201, 200);
    return new Pushed(sha256(body), moduleDigest);
  }

  private record Manifest(String digest, String mediaType, JsonNode body) {
    boolean isIndex() {
      return mediaType.equals(OCI_INDEX) || mediaType.equals(DOCKER_LIST) || body.has("manifests");
    }
  }

  private Manifest manifest(ImageRef ref, String reference) {
    HttpResponse<byte[]> r = send(ref, "pull", HttpRequest.newBuilder(url(ref, "/manifests/" + reference))
        .header("Accept", String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_LIST)).GET());
    if (r.statusCode() == 404) throw new ModuleFetchException(ref.name() + ":" + reference + " not found in the registry (HTTP 404)");
    expect(r, ref, "fetching the manifest " + reference, 200);
    if (r.body().length > MAX_MANIFEST_BYTES) throw new ModuleFetchException("the manifest of " + ref + " is larger than 4 MiB");
    String digest = sha256(r.body());
    if (reference.startsWith("sha256:") && !reference.equals(digest)) {
      throw new ModuleFetchException("digest mismatch for the manifest of " + ref + ": expected " + reference + ", got " + digest);
    }
    Optional<String> claimed = r.headers().firstValue("Docker-Content-Digest");
    if (claimed.isPresent() && claimed.get().startsWith("sha256:") && !claimed.get().equals(digest)) {
      throw new ModuleFetchException("digest mismatch for the manifest of " + ref + ": the registry says " + claimed.get() + ", got " + digest);
    }
    JsonNode body;
    try {
      body = json.readTree(r.body());
    } catch (IOException e) {
      throw new ModuleFetchException("the manifest of " + ref + " is not JSON: " + e.getMessage());
    }
    String type = body.path("mediaType").asText(r.headers().firstValue("Content-Type").orElse(OCI_MANIFEST));
    return new Manifest(digest, type.replaceFirst(";.*", "").trim(), body);
  }

  private String wasmPlatform(ImageRef ref, Manifest index) {
    List<String> seen = new ArrayList<>();
    for (JsonNode m : index.body().path("manifests")) {
      JsonNode p = m.path("platform");
      String arch = p.path("architecture").asText();
      String os = p.path("os").asText();
      seen.add(os + "/" + arch);
      if (arch.equals("wasm") && (os.equals("wasip1") || os.equals("wasi"))) return m.path("digest").asText();
    }
    throw new ModuleFetchException(ref + " is an image index without a Wasm platform (wasip1/wasm or wasi/wasm): found "
        + (seen.isEmpty() ? "no platforms" : String.join(", ", seen)));
  }

  private byte[] blob(ImageRef ref, JsonNode descriptor) {
    String digest = descriptor.path("digest").asText();
    long size = descriptor.path("size").asLong(-1);
    if (!digest.matches("sha256:[0-9a-f]{64}")) throw new ModuleFetchException(ref + ": layer digest '" + digest + "' is not a sha256 digest");
    if (size > MAX_MODULE_BYTES) throw new ModuleFetchException(ref + ": layer " + digest + " is " + size + " bytes, over the 128 MiB module limit");
    HttpResponse<byte[]> r = send(ref, "pull", HttpRequest.newBuilder(url(ref, "/blobs/" + digest)).GET(),
        size > (1 << 20) ? (bytes -> progress.downloaded(digest, bytes, size)) : null);
    expect(r, ref, "fetching blob " + digest, 200);
    String got = sha256(r.body());
    if (!got.equals(digest)) {
      throw new ModuleFetchException("digest mismatch for a layer of " + ref + ": expected " + digest + ", got " + got);
    }
    return r.body();
  }

  private String uploadBlob(ImageRef ref, byte[] data) {
    String digest = sha256(data);
    HttpResponse<byte[]> start = send(ref, "push", HttpRequest.newBuilder(url(ref, "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
    expect(start, ref, "starting a blob upload", 202);
    String location = start.headers().firstValue("Location").orElseThrow(() -> new ModuleFetchException(ref.registry() + " gave no upload location"));
    URI upload = url(ref, "").resolve(location);
    String sep = upload.getRawQuery() == null ? "?" : "&";
    URI put = URI.create(upload + sep + "digest=" + URLEncoder.encode(digest, StandardCharsets.UTF_8));
    HttpResponse<byte[]> done = send(ref, "push", HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    expect(done, ref, "uploading blob " + digest, 201);
    return digest;
  }

  /** Sends a request, answering the registry's auth challenge once (token or basic). */
  private HttpResponse<byte[]> send(ImageRef ref, String action, HttpRequest.Builder request) {
    return send(ref, action, request, null);
  }

  private HttpResponse<byte[]> send(ImageRef ref, String action, HttpRequest.Builder request, java.util.function.LongConsumer reading) {
    String scope = "repository:" + ref.repository() + ":" + (action.equals("push") ? "pull,push" : "pull");
    String key = ref.registry() + " " + scope;
    String auth = tokens.get(key);
    HttpRequest.Builder first = request.copy().timeout(timeout);
    if (auth != null) first.header("Authorization", auth);
    HttpResponse<byte[]> r = exchange(ref, first.build(), reading);
    if (r.statusCode() != 401) return r;
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    auth = authorize(ref, challenge, scope);
    tokens.put(key, auth);
    HttpResponse<byte[]> again = exchange(ref, request.copy().timeout(timeout).header("Authorization", auth).build(), reading);
    if (again.statusCode() == 401 || again.statusCode() == 403) {
      tokens.remove(key);
      throw new ModuleFetchException("registry " + ref.registry() + " refused the credentials for " + ref.name() + " (HTTP " + again.statusCode() + ")");
    }
    return again;
  }

  private String authorize(ImageRef ref, String challenge, String scope) {
    Optional<String> basic = credentials.basicFor(ref.registry());
    String scheme = challenge.split(" ", 2)[0].toLowerCase(Locale.ROOT);
    if (scheme.equals("basic")) {
      return "Basic " + Base64.getEncoder().encodeToString(basic.orElseThrow(() -> new ModuleFetchException("registry " + ref.registry()
          + " requires credentials for " + ref.name() + " and none were given (docker config.json: DOCKER_CONFIG or --registry-config)"))
          .getBytes(StandardCharsets.UTF_8));
    }
    if (!scheme.equals("bearer")) {
      throw new ModuleFetchException("registry " + ref.registry() + " asks for unsupported authentication '" + challenge + "'");
    }
    Map<String, String> params = new java.util.HashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) params.put(m.group(1), m.group(2));
    String realm = params.get("realm");
    if (realm == null) throw new ModuleFetchException("registry " + ref.registry() + " sent a Bearer challenge without a realm");
    StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (params.containsKey("service")) q.append("service=").append(URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)).append('&');
    q.append("scope=").append(URLEncoder.encode(params.getOrDefault("scope", scope), StandardCharsets.UTF_8));
    HttpRequest.Builder t = HttpRequest.newBuilder(URI.create(q.toString())).timeout(timeout).GET();
    basic.ifPresent(c -> t.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(c.getBytes(StandardCharsets.UTF_8))));
    HttpResponse<byte[]> r = exchange(ref, t.build(), null);
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new ModuleFetchException("the token service of " + ref.registry() + " refused " + (basic.isPresent() ? "the credentials" : "an anonymous request")
          + " for " + ref.name() + " (HTTP " + r.statusCode() + ")");
    }
    expect(r, ref, "getting a token", 200);
    try {
      JsonNode body = json.readTree(r.body());
      String token = body.hasNonNull("token") ? body.get("token").asText() : body.path("access_token").asText();
      if (token.isEmpty()) throw new ModuleFetchException("the token service of " + ref.registry() + " returned no token");
      return "Bearer " + token;
    } catch (IOException e) {
      throw new ModuleFetchException("the token service of " + ref.registry() + " returned invalid JSON");
    }
  }

  private HttpResponse<byte[]> exchange(ImageRef ref, HttpRequest request, java.util.function.LongConsumer reading) {
    try {
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (int n; (n = in.read(chunk)) > 0; ) {
          body.write(chunk, 0, n);
          if (body.size() > MAX_MODULE_BYTES) throw new ModuleFetchException(ref + ": a response from the registry is larger than 128 MiB");
          if (reading != null && r.statusCode() == 200) reading.accept(body.size());
        }
        return new BytesResponse(r, body.toByteArray());
      }
    } catch (IOException e) {
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof javax.net.ssl.SSLException && request.uri().getScheme().equals("https")) {
          // e.g. a plain-HTTP registry answering a TLS handshake with bytes that are not TLS
          throw new ModuleFetchException("cannot reach registry " + ref.registry() + " over HTTPS (" + c.getMessage() + "); if it serves plain HTTP,"
              + " use --insecure-registry " + ref.registry(), e);
        }
      }
      throw new ModuleFetchException("cannot reach registry " + ref.registry() + " (" + request.uri().getScheme() + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModuleFetchException("interrupted while talking to registry " + ref.registry(), e);
    }
  }

  private static void expect(HttpResponse<byte[]> r, ImageRef ref, String what, int... ok) {
    for (int s : ok) if (r.statusCode() == s) return;
    String body = new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8);
    throw new ModuleFetchException("registry " + ref.registry() + ": " + what + " for " + ref.name() + " failed with HTTP " + r.statusCode()
        + (body.isBlank() ? "" : ": " + body.strip()));
  }

  private URI url(ImageRef ref, String path) {
    String scheme = insecure.contains(ref.registry()) ? "http" : "https";
    String host = ref.registry().equals("docker.io") ? "registry-1.docker.io" : ref.registry();
    return URI.create(scheme + "://" + host + "/v2/" + ref.repository() + path);
  }

  static String sha256(byte[] data) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A response whose body has been read (bounded). */
  private record BytesResponse(HttpResponse<InputStream> r, byte[] body) implements HttpResponse<byte[]> {
    @Override
    public int statusCode() {
      return r.statusCode();
    }

    @Override
    public HttpRequest request() {
      return r.request();
    }

    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
      return r.headers();
    }

    @Override
    public Optional<javax.net.ssl.SSLSession> sslSession() {
      return r.sslSession();
    }

    @Override
    public URI uri() {
      return r.uri();
    }

    @Override
    public HttpClient.Version version() {
      return r.version();
    }
  }
}

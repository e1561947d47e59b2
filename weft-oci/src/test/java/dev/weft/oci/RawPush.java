package dev.weft.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * Pushes OCI content with nothing but {@code java.net.http} and Jackson, independently of weft's
 * {@link RegistryClient}, so tests check the client against content it did not make.
 *
 * <p>{@code basicAuth} arguments are {@code "user:password"} (encoded here) when present.
 */
final class RawPush {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String OCI_TAR = "application/vnd.oci.image.layer.v1.tar";
  static final String OCI_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String WASM_CONFIG_V0 = "application/vnd.wasm.config.v0+json";
  static final String WASM_CONFIG_V1 = "application/vnd.wasm.config.v1+json";
  static final String WASM_LAYER = "application/wasm";
  static final String WASM_CONTENT_LAYER = "application/vnd.wasm.content.layer.v1+wasm";
  static final String MODULE_WASM_LAYER = "application/vnd.module.wasm.content.layer.v1+wasm";
  static final String TITLE = "org.opencontainers.image.title";

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RawPush() {}

  /** A content descriptor as it appears in a manifest's config / layers or an index's manifests. */
  record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
    Descriptor(String mediaType, String digest, long size) {
      this(mediaType, digest, size, Map.of());
    }

    ObjectNode json() {
      ObjectNode n =
          JSON.createObjectNode()
              .put("mediaType", mediaType)
              .put("digest", digest)
              .put("size", size);
      if (!annotations.isEmpty()) {
        ObjectNode a = n.putObject("annotations");
        annotations.forEach(a::put);
      }
      return n;
    }
  }

  /** An index entry: a manifest descriptor with its platform. */
  record Platformed(Descriptor manifest, String os, String architecture) {}

  // ---------------------------------------------------------------- HTTP

  /** Monolithic blob upload: POST an upload session, PUT the bytes with the digest. */
  static String pushBlob(RegistryServer r, String repo, byte[] data, Optional<String> basicAuth) {
    String digest = sha256(data);
    HttpResponse<String> start =
        send(
            auth(HttpRequest.newBuilder(r.uri("/v2/" + repo + "/blobs/uploads/")), basicAuth)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    expect(start, 202, "starting a blob upload to " + repo);
    String location =
        start
            .headers()
            .firstValue("Location")
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Location header on the upload session of " + repo));
    URI base = r.uri("/");
    URI upload = base.resolve(location);
    String sep = upload.toString().contains("?") ? "&" : "?";
    URI put = URI.create(upload + sep + "digest=" + digest);
    HttpResponse<String> done =
        send(
            auth(HttpRequest.newBuilder(put), basicAuth)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data))
                .build());
    expect(done, 201, "uploading blob " + digest + " to " + repo);
    return digest;
  }

  /** PUT a manifest (or index) under a tag or digest; returns the sha256 of the bytes. */
  static String pushManifest(
      RegistryServer r,
      String repo,
      String reference,
      String mediaType,
      byte[] json,
      Optional<String> basicAuth) {
    String digest = sha256(json);
    HttpResponse<String> res =
        send(
            auth(
                    HttpRequest.newBuilder(r.uri("/v2/" + repo + "/manifests/" + reference)),
                    basicAuth)
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json))
                .build());
    expect(res, 201, "pushing manifest " + repo + ":" + reference);
    res.headers()
        .firstValue("Docker-Content-Digest")
        .ifPresent(
            d -> {
              if (!d.equals(digest)) {
                throw new IllegalStateException(
                    "the registry stored manifest "
                        + repo
                        + ":"
                        + reference
                        + " as "
                        + d
                        + ", not "
                        + digest);
              }
            });
    return digest;
  }

  /** GET a manifest raw, accepting OCI manifests and indexes. */
  static HttpResponse<byte[]> getManifest(
      RegistryServer r, String repo, String reference, Optional<String> basicAuth) {
    return sendBytes(
        auth(HttpRequest.newBuilder(r.uri("/v2/" + repo + "/manifests/" + reference)), basicAuth)
            .header("Accept", OCI_MANIFEST + ", " + OCI_INDEX)
            .GET()
            .build());
  }

  /** GET a blob raw. */
  static HttpResponse<byte[]> getBlob(
      RegistryServer r, String repo, String digest, Optional<String> basicAuth) {
    return sendBytes(
        auth(HttpRequest.newBuilder(r.uri("/v2/" + repo + "/blobs/" + digest)), basicAuth)
            .GET()
            .build());
  }

  static Descriptor blob(
      RegistryServer r, String repo, String mediaType, byte[] data, Optional<String> basicAuth) {
    return blob(r, repo, mediaType, data, basicAuth, Map.of());
  }

  static Descriptor blob(
      RegistryServer r,
      String repo,
      String mediaType,
      byte[] data,
      Optional<String> basicAuth,
      Map<String, String> annotations) {
    return new Descriptor(mediaType, pushBlob(r, repo, data, basicAuth), data.length, annotations);
  }

  // ---------------------------------------------------------------- manifest JSON

  /** An OCI image manifest (schemaVersion 2) with an optional artifactType. */
  static byte[] imageManifest(
      Optional<String> artifactType, Descriptor config, List<Descriptor> layers) {
    ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    artifactType.ifPresent(t -> m.put("artifactType", t));
    m.set("config", config.json());
    ArrayNode ls = m.putArray("layers");
    layers.forEach(l -> ls.add(l.json()));
    return write(m);
  }

  /** An OCI image index. */
  static byte[] index(List<Platformed> entries) {
    ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
    ArrayNode ms = m.putArray("manifests");
    for (Platformed e : entries) {
      ObjectNode n = e.manifest().json();
      n.putObject("platform").put("architecture", e.architecture()).put("os", e.os());
      ms.add(n);
    }
    return write(m);
  }

  // ---------------------------------------------------------------- the formats (blobs pushed,
  // manifest returned)

  /** a) The CNCF Wasm artifact layout (wasm-pkg-tools, oras, weft push). */
  static byte[] cncfWasm(RegistryServer r, String repo, byte[] module, Optional<String> basicAuth) {
    byte[] config =
        "{\"architecture\":\"wasm\",\"os\":\"wasip1\",\"layerDigests\":[\"%s\"]}"
            .formatted(sha256(module))
            .getBytes(StandardCharsets.UTF_8);
    Descriptor c = blob(r, repo, WASM_CONFIG_V0, config, basicAuth);
    Descriptor l = blob(r, repo, WASM_LAYER, module, basicAuth, Map.of(TITLE, "module.wasm"));
    return imageManifest(Optional.of(WASM_CONFIG_V0), c, List.of(l));
  }

  /** b) wasm-to-oci: a v1 Wasm config and a {@code vnd.wasm.content.layer.v1+wasm} layer. */
  static byte[] wasmToOci(
      RegistryServer r, String repo, byte[] module, Optional<String> basicAuth) {
    Descriptor c = blob(r, repo, WASM_CONFIG_V1, "{}".getBytes(StandardCharsets.UTF_8), basicAuth);
    Descriptor l = blob(r, repo, WASM_CONTENT_LAYER, module, basicAuth);
    return imageManifest(Optional.empty(), c, List.of(l));
  }

  /**
   * c) The {@code vnd.module.wasm.content.layer.v1+wasm} layer (the reference plugin's first
   * choice).
   */
  static byte[] moduleWasmLayer(
      RegistryServer r, String repo, byte[] module, Optional<String> basicAuth) {
    Descriptor c = blob(r, repo, WASM_CONFIG_V1, "{}".getBytes(StandardCharsets.UTF_8), basicAuth);
    Descriptor l = blob(r, repo, MODULE_WASM_LAYER, module, basicAuth);
    return imageManifest(Optional.empty(), c, List.of(l));
  }

  /**
   * d) An image index with a linux/amd64 entry (a plain container-like manifest) and a Wasm entry
   * ({@code os} = {@code wasip1} or {@code wasi}, architecture {@code wasm}) pointing to a CNCF
   * Wasm manifest; both child manifests are pushed by digest here. Wasm entry listed second.
   */
  static byte[] indexWithWasm(
      RegistryServer r, String repo, byte[] module, String wasmOs, Optional<String> basicAuth) {
    Descriptor linux =
        pushedManifest(
            r, repo, containerImage(r, repo, "linux/amd64 entrypoint\n", basicAuth), basicAuth);
    Descriptor wasm = pushedManifest(r, repo, cncfWasm(r, repo, module, basicAuth), basicAuth);
    return index(
        List.of(new Platformed(linux, "linux", "amd64"), new Platformed(wasm, wasmOs, "wasm")));
  }

  /**
   * e) A one-layer container image whose layer (tar, gzipped or not) holds {@code app/module.wasm}.
   */
  static byte[] imageWithWasmInTar(
      RegistryServer r, String repo, byte[] module, boolean gzip, Optional<String> basicAuth) {
    byte[] tar = tar(Map.of("app/module.wasm", module));
    return oneLayerImage(r, repo, gzip ? gzip(tar) : tar, gzip ? OCI_TAR_GZIP : OCI_TAR, basicAuth);
  }

  /** f1) An image whose only (gzipped tar) layer holds no .wasm file. */
  static byte[] imageWithoutWasm(RegistryServer r, String repo, Optional<String> basicAuth) {
    return containerImage(r, repo, "just text, no module\n", basicAuth);
  }

  /** f1') A manifest whose only layer is plain text. */
  static byte[] textLayerOnly(RegistryServer r, String repo, Optional<String> basicAuth) {
    Descriptor c = blob(r, repo, WASM_CONFIG_V0, "{}".getBytes(StandardCharsets.UTF_8), basicAuth);
    Descriptor l =
        blob(
            r,
            repo,
            "text/plain",
            "hello, not wasm\n".getBytes(StandardCharsets.UTF_8),
            basicAuth,
            Map.of(TITLE, "README.txt"));
    return imageManifest(Optional.of(WASM_CONFIG_V0), c, List.of(l));
  }

  /** f2) An index with only linux platforms. */
  static byte[] indexWithoutWasm(RegistryServer r, String repo, Optional<String> basicAuth) {
    Descriptor amd =
        pushedManifest(r, repo, containerImage(r, repo, "amd64\n", basicAuth), basicAuth);
    Descriptor arm =
        pushedManifest(r, repo, containerImage(r, repo, "arm64\n", basicAuth), basicAuth);
    return index(
        List.of(new Platformed(amd, "linux", "amd64"), new Platformed(arm, "linux", "arm64")));
  }

  /** f3) The module's bytes under an unknown layer media type ({@code application/x-unknown}). */
  static byte[] unknownLayerType(
      RegistryServer r, String repo, byte[] module, Optional<String> basicAuth) {
    Descriptor c = blob(r, repo, WASM_CONFIG_V0, "{}".getBytes(StandardCharsets.UTF_8), basicAuth);
    Descriptor l =
        blob(r, repo, "application/x-unknown", module, basicAuth, Map.of(TITLE, "module.wasm"));
    return imageManifest(Optional.of(WASM_CONFIG_V0), c, List.of(l));
  }

  /**
   * A container-like image: OCI image config and one tar+gzip layer holding {@code app/README.txt}.
   */
  static byte[] containerImage(
      RegistryServer r, String repo, String text, Optional<String> basicAuth) {
    byte[] layer = gzip(tar(Map.of("app/README.txt", text.getBytes(StandardCharsets.UTF_8))));
    return oneLayerImage(r, repo, layer, OCI_TAR_GZIP, basicAuth);
  }

  private static byte[] oneLayerImage(
      RegistryServer r, String repo, byte[] layer, String layerType, Optional<String> basicAuth) {
    byte[] tarBytes = layerType.equals(OCI_TAR_GZIP) ? gunzip(layer) : layer;
    ObjectNode cfg = JSON.createObjectNode().put("architecture", "amd64").put("os", "linux");
    cfg.putObject("config").putArray("Entrypoint").add("/app/module.wasm");
    ObjectNode rootfs = cfg.putObject("rootfs").put("type", "layers");
    rootfs.putArray("diff_ids").add(sha256(tarBytes));
    Descriptor c = blob(r, repo, OCI_IMAGE_CONFIG, write(cfg), basicAuth);
    Descriptor l = blob(r, repo, layerType, layer, basicAuth);
    return imageManifest(Optional.empty(), c, List.of(l));
  }

  /** Pushes a manifest by its digest and returns its descriptor (for index entries). */
  static Descriptor pushedManifest(
      RegistryServer r, String repo, byte[] manifest, Optional<String> basicAuth) {
    String digest = pushManifest(r, repo, sha256(manifest), OCI_MANIFEST, manifest, basicAuth);
    return new Descriptor(OCI_MANIFEST, digest, manifest.length);
  }

  // ---------------------------------------------------------------- tar / gzip

  /** A POSIX ustar archive with regular files (mode 0644), in the map's iteration order. */
  static byte[] tar(Map<String, byte[]> files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Map<String, byte[]> ordered = new LinkedHashMap<>(files);
    for (Map.Entry<String, byte[]> f : ordered.entrySet()) {
      byte[] name = f.getKey().getBytes(StandardCharsets.US_ASCII);
      if (name.length > 100) {
        throw new IllegalArgumentException("tar name over 100 bytes: " + f.getKey());
      }
      byte[] data = f.getValue();
      byte[] h = new byte[512];
      System.arraycopy(name, 0, h, 0, name.length);
      octal(h, 100, 8, 0644); // mode
      octal(h, 108, 8, 0); // uid
      octal(h, 116, 8, 0); // gid
      octal(h, 124, 12, data.length); // size
      octal(h, 136, 12, 1_700_000_000L); // mtime
      for (int i = 148; i < 156; i++) {
        h[i] = ' '; // checksum field counts as spaces
      }
      h[156] = '0'; // typeflag: regular file
      put(h, 257, "ustar\0"); // magic
      put(h, 263, "00"); // version
      put(h, 265, "root");
      put(h, 297, "root");
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      String chk = String.format("%06o", sum);
      put(h, 148, chk);
      h[154] = 0;
      h[155] = ' ';
      out.writeBytes(h);
      out.writeBytes(data);
      int pad = (512 - data.length % 512) % 512;
      out.writeBytes(new byte[pad]);
    }
    out.writeBytes(new byte[1024]); // two zero blocks end the archive
    return out.toByteArray();
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    String padded = "0".repeat(len - 1 - s.length()) + s; // len-1 digits then NUL
    put(h, off, padded);
    h[off + len - 1] = 0;
  }

  private static void put(byte[] h, int off, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] data) {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- helpers

  static String sha256(byte[] data) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String basic(String user, String pass) {
    return user + ":" + pass;
  }

  static byte[] write(Object tree) {
    try {
      return JSON.writeValueAsBytes(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpRequest.Builder auth(HttpRequest.Builder b, Optional<String> basicAuth) {
    b.timeout(Duration.ofSeconds(10));
    basicAuth.ifPresent(
        a ->
            b.header(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(a.getBytes(StandardCharsets.UTF_8))));
    return b;
  }

  private static HttpResponse<String> send(HttpRequest req) {
    try {
      return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(req.method() + " " + req.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<byte[]> sendBytes(HttpRequest req) {
    try {
      return HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(req.method() + " " + req.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void expect(HttpResponse<String> r, int status, String what) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(
          what + ": HTTP " + r.statusCode() + " (wanted " + status + "): " + r.body());
    }
  }
}

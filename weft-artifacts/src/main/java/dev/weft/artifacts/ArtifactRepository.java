package dev.weft.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An S3 artifact repository as Argo configures it: the {@code s3:} block of the {@code
 * artifactRepository} key of workflow-controller-configmap, or of an entry of an {@code
 * artifact-repositories} ConfigMap. Secrets are references ({@code {name, key}}), resolved later by
 * {@link SecretFiles}.
 *
 * @param endpoint {@code host:port} (or a URL with scheme)
 * @param insecure plain HTTP instead of HTTPS
 * @param pathStyle path-style addressing; Argo's {@code addressingStyle: path}, and the default for
 *     endpoints other than AWS (Argo's "auto" picks path style for them too)
 * @param keyFormat where output artifacts go; Argo's default {@code {{workflow.name}}/{{pod.name}}}
 */
public record ArtifactRepository(
    String endpoint,
    String bucket,
    String region,
    boolean insecure,
    boolean pathStyle,
    Optional<SecretRef> accessKeySecret,
    Optional<SecretRef> secretKeySecret,
    Optional<SecretRef> sessionTokenSecret,
    Optional<SecretRef> caSecret,
    boolean useSdkCreds,
    String keyFormat) {

  /** Argo's key format when none is configured. */
  public static final String DEFAULT_KEY_FORMAT = "{{workflow.name}}/{{pod.name}}";

  /** A reference to one key of a Kubernetes Secret. */
  public record SecretRef(String name, String key) {
    public SecretRef {
      Objects.requireNonNull(name, "secret name");
      Objects.requireNonNull(key, "secret key");
    }
  }

  public ArtifactRepository {
    if (endpoint == null || endpoint.isBlank())
      throw new IllegalArgumentException("artifact repository s3.endpoint is missing");
    if (bucket == null || bucket.isBlank())
      throw new IllegalArgumentException("artifact repository s3.bucket is missing");
    region = region == null || region.isBlank() ? "us-east-1" : region;
    Objects.requireNonNull(accessKeySecret, "accessKeySecret");
    Objects.requireNonNull(secretKeySecret, "secretKeySecret");
    Objects.requireNonNull(sessionTokenSecret, "sessionTokenSecret");
    Objects.requireNonNull(caSecret, "caSecret");
    if (accessKeySecret.isPresent() != secretKeySecret.isPresent()) {
      throw new IllegalArgumentException(
          "artifact repository needs both s3.accessKeySecret and s3.secretKeySecret, or neither");
    }
    keyFormat = keyFormat == null || keyFormat.isBlank() ? DEFAULT_KEY_FORMAT : keyFormat;
  }

  /** Fields of Argo's s3 block weft reads. */
  private static final Set<String> KNOWN =
      Set.of(
          "endpoint",
          "bucket",
          "region",
          "insecure",
          "addressingStyle",
          "pathStyleEndpoint",
          "accessKeySecret",
          "secretKeySecret",
          "sessionTokenSecret",
          "caSecret",
          "useSDKCreds",
          "keyFormat",
          "key",
          "createBucketIfNotPresent");

  /**
   * Fields that change where or how objects are written, which weft cannot honour: refused rather
   * than ignored.
   */
  private static final Set<String> REFUSED = Set.of("encryptionOptions", "roleARN", "keyPrefix");

  /** Repository kinds other than S3. */
  private static final Set<String> OTHER_KINDS =
      Set.of("gcs", "oss", "azure", "artifactory", "hdfs", "git", "http", "raw", "plugin");

  /**
   * Parses any of: the value of workflow-controller-configmap's {@code artifactRepository} key (a
   * YAML map with {@code s3:}); a YAML map holding {@code artifactRepository:} (as a string or a
   * map); a whole ConfigMap (workflow-controller-configmap, or {@code artifact-repositories} whose
   * entry is chosen by {@code entry}, else by the annotation {@code
   * workflows.argoproj.io/default-artifact-repository}, else its only entry).
   *
   * @throws IllegalArgumentException naming the field that is missing or unsupported
   */
  public static ArtifactRepository parse(String yaml, Optional<String> entry) {
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    JsonNode root;
    try {
      root = mapper.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "artifact repository is not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject())
      throw new IllegalArgumentException("artifact repository must be a YAML map");
    JsonNode repo = locate(mapper, root, entry);
    return fromRepositoryNode(repo);
  }

  private static JsonNode locate(ObjectMapper mapper, JsonNode root, Optional<String> entry) {
    if (root.has("s3") || anyOtherKind(root)) return root;
    if (root.has("artifactRepository"))
      return asMap(mapper, root.get("artifactRepository"), "artifactRepository");
    if ("ConfigMap".equals(root.path("kind").asText()) || root.has("data")) {
      JsonNode data = root.path("data");
      if (data.has("artifactRepository"))
        return asMap(mapper, data.get("artifactRepository"), "data.artifactRepository");
      String key =
          entry.orElseGet(
              () ->
                  root.path("metadata")
                      .path("annotations")
                      .path("workflows.argoproj.io/default-artifact-repository")
                      .asText(""));
      if (key.isEmpty()) {
        if (data.size() != 1) {
          throw new IllegalArgumentException(
              "artifact-repositories ConfigMap has "
                  + data.size()
                  + " entries and no workflows.argoproj.io/default-artifact-repository annotation: name the entry to use");
        }
        key = data.fieldNames().next();
      }
      if (!data.has(key))
        throw new IllegalArgumentException(
            "artifact-repositories ConfigMap has no entry '" + key + "'");
      return asMap(mapper, data.get(key), "data." + key);
    }
    if (entry.isPresent() && root.has(entry.get()))
      return asMap(mapper, root.get(entry.get()), entry.get());
    throw new IllegalArgumentException(
        "artifact repository YAML has no s3 block (expected s3:, artifactRepository: or a ConfigMap)");
  }

  private static boolean anyOtherKind(JsonNode n) {
    for (String k : OTHER_KINDS) if (n.has(k)) return true;
    return false;
  }

  private static JsonNode asMap(ObjectMapper mapper, JsonNode n, String at) {
    if (n.isTextual()) {
      try {
        n = mapper.readTree(n.asText());
      } catch (IOException e) {
        throw new IllegalArgumentException(at + " is not valid YAML: " + e.getMessage());
      }
    }
    if (n == null || !n.isObject()) throw new IllegalArgumentException(at + " must be a map");
    return n;
  }

  private static ArtifactRepository fromRepositoryNode(JsonNode repo) {
    if (!repo.has("s3")) {
      for (String k : OTHER_KINDS) {
        if (repo.has(k))
          throw new IllegalArgumentException(
              "artifact repository kind '" + k + "' is not supported; weft supports s3");
      }
      throw new IllegalArgumentException("artifact repository has no s3 block");
    }
    JsonNode s3 = repo.get("s3");
    for (Iterator<String> it = s3.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (REFUSED.contains(f))
        throw new IllegalArgumentException(
            "artifact repository s3." + f + " is not supported by weft");
      if (!KNOWN.contains(f) && !f.equals("lifecycleRule")) {
        throw new IllegalArgumentException(
            "artifact repository s3." + f + " is not a field weft knows");
      }
    }
    String style = text(s3, "addressingStyle");
    if (!style.isEmpty() && !style.equals("path") && !style.equals("virtual-hosted")) {
      throw new IllegalArgumentException(
          "artifact repository s3.addressingStyle must be \"\", path or virtual-hosted, got '"
              + style
              + "'");
    }
    String endpoint = text(s3, "endpoint");
    boolean pathStyle =
        style.equals("path")
            || s3.path("pathStyleEndpoint").asBoolean(false)
            || (style.isEmpty() && !endpoint.endsWith("amazonaws.com"));
    return new ArtifactRepository(
        endpoint,
        text(s3, "bucket"),
        text(s3, "region"),
        s3.path("insecure").asBoolean(false),
        pathStyle,
        secret(s3, "accessKeySecret"),
        secret(s3, "secretKeySecret"),
        secret(s3, "sessionTokenSecret"),
        secret(s3, "caSecret"),
        s3.path("useSDKCreds").asBoolean(false),
        text(s3, "keyFormat"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static Optional<SecretRef> secret(JsonNode s3, String field) {
    JsonNode n = s3.get(field);
    if (n == null || n.isNull()) return Optional.empty();
    String name = text(n, "name");
    String key = text(n, "key");
    if (name.isEmpty() || key.isEmpty())
      throw new IllegalArgumentException("artifact repository s3." + field + " needs name and key");
    return Optional.of(new SecretRef(name, key));
  }

  /**
   * This repository with the location fields of an artifact's own {@code s3:} block laid over it.
   */
  public ArtifactRepository overlay(
      String endpoint,
      String bucket,
      String region,
      Optional<Boolean> insecure,
      Optional<SecretRef> access,
      Optional<SecretRef> secret) {
    boolean sameServer = endpoint == null || endpoint.isBlank() || endpoint.equals(this.endpoint);
    // Repository credentials are only sent to the repository's own endpoint.
    Optional<SecretRef> a =
        access.isPresent() ? access : sameServer ? accessKeySecret : Optional.empty();
    Optional<SecretRef> s =
        secret.isPresent() ? secret : sameServer ? secretKeySecret : Optional.empty();
    return new ArtifactRepository(
        sameServer ? this.endpoint : endpoint,
        bucket == null || bucket.isBlank() ? this.bucket : bucket,
        region == null || region.isBlank() ? this.region : region,
        insecure.orElse(this.insecure),
        pathStyle,
        a,
        s,
        sameServer ? sessionTokenSecret : Optional.empty(),
        sameServer ? caSecret : Optional.empty(),
        sameServer && useSdkCreds,
        keyFormat);
  }
}

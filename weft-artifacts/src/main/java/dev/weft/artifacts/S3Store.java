package dev.weft.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Artifacts in an S3-compatible bucket (AWS SDK v2 with the JDK's URL connection client, or
 * Apache's when every connection's addresses must pass a check: {@link Builder#addresses}). A
 * directory artifact is the objects under {@code key/}. Uploads are atomic per object: one PUT for
 * small files, a multipart upload that is only completed after every part went through (and aborted
 * otherwise) for large ones. Credentials never appear in {@link #describe()} or in exception
 * messages.
 */
public final class S3Store implements ArtifactStore, RangeReadable, AutoCloseable {
  /** Most objects a directory artifact (key prefix) may have. */
  public static final int MAX_DIRECTORY_OBJECTS = 100_000;

  private final S3Client s3;
  private final String bucket;
  private final URI endpoint;
  private final Optional<S3Credentials> credentials;
  private final long multipartThreshold;
  private final long partSize;
  private final S3Uploads uploads;

  private S3Store(Builder b) {
    this.bucket = b.bucket;
    this.endpoint = b.endpoint;
    this.credentials = b.credentials;
    this.multipartThreshold = b.multipartThreshold;
    this.partSize = b.partSize;
    software.amazon.awssdk.http.SdkHttpClient http;
    if (b.addresses.isPresent()) {
      // Every connection resolves the host through the guard and connects only to what it
      // returned: a name checked once could otherwise be re-resolved (DNS rebinding) to an address
      // the guard refuses. The JDK's URL connection has no such hook; Apache's client has.
      dev.weft.runtime.capability.http.HostResolver guard = b.addresses.get();
      Apache5HttpClient.Builder apache =
          Apache5HttpClient.builder()
              .connectionTimeout(b.connectTimeout)
              .socketTimeout(b.socketTimeout)
              .dnsResolver(
                  new org.apache.hc.client5.http.DnsResolver() {
                    @Override
                    public java.net.InetAddress[] resolve(String host)
                        throws java.net.UnknownHostException {
                      return guard.resolve(host);
                    }

                    @Override
                    public String resolveCanonicalHostname(String host) {
                      return host; // never used for S3's plain (non-Kerberos) requests
                    }
                  });
      b.caCertificates.ifPresent(
          ca -> apache.tlsTrustManagersProvider(() -> S3Uploads.trustManagers(ca)));
      http = apache.build();
    } else {
      UrlConnectionHttpClient.Builder plain =
          UrlConnectionHttpClient.builder()
              .connectionTimeout(b.connectTimeout)
              .socketTimeout(b.socketTimeout);
      b.caCertificates.ifPresent(
          ca -> plain.tlsTrustManagersProvider(() -> S3Uploads.trustManagers(ca)));
      http = plain.build();
    }
    AwsCredentialsProvider provider;
    if (b.credentials.isPresent()) {
      S3Credentials c = b.credentials.get();
      provider =
          StaticCredentialsProvider.create(
              c.sessionToken().isPresent()
                  ? AwsSessionCredentials.create(
                      c.accessKey(), c.secretKey(), c.sessionToken().get())
                  : AwsBasicCredentials.create(c.accessKey(), c.secretKey()));
    } else if (b.sdkDefaultCredentials) {
      provider = DefaultCredentialsProvider.builder().build();
    } else {
      provider = AnonymousCredentialsProvider.create();
    }
    this.s3 =
        S3Client.builder()
            .endpointOverride(b.endpoint)
            .region(Region.of(b.region))
            .forcePathStyle(b.pathStyle)
            .credentialsProvider(provider)
            .httpClient(http)
            .build();
    this.uploads =
        new S3Uploads(s3, bucket, multipartThreshold, partSize, this::redact, this::failure);
  }

  /**
   * Makes the exception an S3 operation ends with: the operation, key, store and status; no
   * credentials.
   */
  interface Failure {
    IOException of(String op, String key, SdkException e);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options for an {@link S3Store}; endpoint and bucket are required. */
  public static final class Builder {
    private URI endpoint;
    private String bucket;
    private String region = "us-east-1";
    private boolean pathStyle = true;
    private Optional<S3Credentials> credentials = Optional.empty();
    private boolean sdkDefaultCredentials;
    private Optional<S3Uploads.CaCertificates> caCertificates = Optional.empty();
    private long multipartThreshold = 16L << 20;
    private long partSize = 8L << 20;
    private Optional<dev.weft.runtime.capability.http.HostResolver> addresses = Optional.empty();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration socketTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /**
     * e.g. {@code http://minio:9000}; a value without scheme gets https (or http when insecure, see
     * {@link #endpoint(String, boolean)}).
     */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** Argo's form: {@code host:port} plus {@code insecure} (plain HTTP). */
    public Builder endpoint(String hostPort, boolean insecure) {
      String e =
          hostPort.contains("://") ? hostPort : (insecure ? "http://" : "https://") + hostPort;
      return endpoint(URI.create(e));
    }

    public Builder bucket(String bucket) {
      if (bucket == null || bucket.length() < 3 || bucket.length() > 63) {
        throw new IllegalArgumentException(
            "S3 bucket name must be 3-63 characters, got '" + bucket + "'");
      }
      this.bucket = bucket;
      return this;
    }

    public Builder region(String region) {
      if (region != null && !region.isBlank()) this.region = region;
      return this;
    }

    /**
     * Path-style addressing ({@code http://host/bucket/key}); the default, as MinIO and most
     * non-AWS servers need it.
     */
    public Builder pathStyle(boolean pathStyle) {
      this.pathStyle = pathStyle;
      return this;
    }

    public Builder credentials(S3Credentials c) {
      this.credentials = Optional.of(c);
      return this;
    }

    /**
     * Use the AWS SDK's default chain (env, profile, container/instance roles): Argo's {@code
     * useSDKCreds}.
     */
    public Builder sdkDefaultCredentials(boolean on) {
      this.sdkDefaultCredentials = on;
      return this;
    }

    /** PEM file of CA certificates to trust for an https endpoint (instead of the JDK's). */
    public Builder caCertificates(Path pem) {
      this.caCertificates =
          Optional.of(new S3Uploads.CaCertificates(() -> Files.readAllBytes(pem), pem.toString()));
      return this;
    }

    /**
     * PEM text of CA certificates to trust (a Secret's value); {@code source} names it in errors.
     */
    public Builder caCertificates(String pem, String source) {
      byte[] bytes = pem.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      this.caCertificates = Optional.of(new S3Uploads.CaCertificates(() -> bytes, source));
      return this;
    }

    /**
     * Files larger than this are uploaded in parts of {@code partSize} (at least 5 MiB, S3's
     * minimum).
     */
    public Builder multipart(long threshold, long partSize) {
      if (partSize < (5L << 20))
        throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSize);
      if (threshold < partSize)
        throw new IllegalArgumentException(
            "multipart threshold " + threshold + " is below the part size " + partSize);
      this.multipartThreshold = threshold;
      this.partSize = partSize;
      return this;
    }

    /**
     * Resolves the endpoint's host for every connection, which goes only to an address returned: a
     * resolver that checks the addresses (and throws {@link java.net.UnknownHostException} naming
     * why it refuses one) pins a tenant-configured endpoint to what the check allowed, however the
     * name's DNS answer changes later.
     */
    public Builder addresses(dev.weft.runtime.capability.http.HostResolver resolver) {
      this.addresses = Optional.of(Objects.requireNonNull(resolver, "resolver"));
      return this;
    }

    public Builder timeouts(Duration connect, Duration socket) {
      this.connectTimeout = Objects.requireNonNull(connect);
      this.socketTimeout = Objects.requireNonNull(socket);
      return this;
    }

    public S3Store build() {
      if (endpoint == null) throw new IllegalArgumentException("S3 store needs an endpoint");
      if (bucket == null) throw new IllegalArgumentException("S3 store needs a bucket");
      String scheme = endpoint.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException(
            "S3 endpoint must be http or https, got '" + endpoint + "'");
      }
      if (endpoint.getHost() == null || endpoint.getHost().isEmpty()) {
        throw new IllegalArgumentException("S3 endpoint '" + endpoint + "' has no host name");
      }
      if (endpoint.getUserInfo() != null) {
        throw new IllegalArgumentException(
            "S3 endpoint must not carry credentials; give them as secrets");
      }
      return new S3Store(this);
    }
  }

  @Override
  public String describe() {
    return "s3://" + bucket + " at " + endpoint;
  }

  /** The bucket. */
  public String bucket() {
    return bucket;
  }

  /** The endpoint, e.g. {@code http://minio:9000}. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void get(String key, Path target) throws IOException {
    ArtifactKeys.check(key);
    Path parent = target.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    Path temp = target.resolveSibling(LocalDirectoryStore.TEMP_PREFIX + UUID.randomUUID());
    try {
      try {
        download(key, temp);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        return;
      } catch (NoSuchKeyException e) {
        Files.deleteIfExists(temp);
      } catch (S3Exception e) {
        Files.deleteIfExists(temp);
        if (e.statusCode() != 404) throw failure("get", key, e);
      }
      // Not an object: perhaps a directory artifact (objects under key/).
      List<S3Object> objects = list(key + "/");
      if (objects.isEmpty()) throw new ArtifactNotFoundException(key, describe());
      Files.createDirectory(temp);
      for (S3Object o : objects) {
        String rel = o.key().substring(key.length() + 1);
        if (rel.isEmpty() || rel.endsWith("/")) continue; // directory markers
        ArtifactKeys.check(rel);
        Path dest = temp.resolve(rel);
        Files.createDirectories(dest.getParent());
        download(o.key(), dest);
      }
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS))
        LocalDirectoryStore.deleteTree(target);
      Files.move(temp, target);
    } catch (SdkException e) {
      throw failure("get", key, e);
    } finally {
      LocalDirectoryStore.deleteTree(temp);
    }
  }

  @Override
  public void put(Path source, String key) throws IOException {
    ArtifactKeys.check(key);
    if (Files.isSymbolicLink(source)) throw new IOException("refusing to upload symlink " + source);
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      uploads.putFile(source, key);
      return;
    }
    // One object per file. S3 has no multi-object transaction: on failure the ones already
    // written are deleted again, so no incomplete directory stays visible.
    List<String> written = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (Files.isSymbolicLink(p)) throw new IOException("refusing to upload symlink " + p);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
        String k = key + "/" + source.relativize(p).toString().replace('\\', '/');
        uploads.putFile(p, ArtifactKeys.check(k));
        written.add(k);
      }
    } catch (IOException | RuntimeException e) {
      for (String k : written) {
        try {
          s3.deleteObject(r -> r.bucket(bucket).key(k));
        } catch (SdkException suppressed) {
          e.addSuppressed(
              new IOException(
                  "could not delete partial object '"
                      + k
                      + "': "
                      + redact(suppressed.getMessage())));
        }
      }
      throw e;
    }
  }

  /** Streams an object into a new file (works on any file system provider). */
  private void download(String key, Path dest) throws IOException {
    try (InputStream in = s3.getObject(r -> r.bucket(bucket).key(key))) {
      Files.copy(in, dest);
    }
  }

  @Override
  public long size(String key) throws IOException {
    ArtifactKeys.check(key);
    try {
      HeadObjectResponse h = s3.headObject(r -> r.bucket(bucket).key(key));
      if (h.contentLength() == null) {
        // Not an S3 server's answer: every HEAD of an object carries its length.
        throw new IOException(
            "S3 HEAD of '" + key + "' in " + describe() + " answered without a Content-Length");
      }
      return h.contentLength();
    } catch (NoSuchKeyException e) {
      throw new ArtifactNotFoundException(key, describe());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) throw new ArtifactNotFoundException(key, describe());
      throw failure("head", key, e);
    } catch (SdkException e) {
      throw failure("head", key, e);
    }
  }

  @Override
  public long totalSize(String key) throws IOException {
    try {
      return size(key);
    } catch (ArtifactNotFoundException e) {
      List<S3Object> objects = list(key + "/");
      if (objects.isEmpty()) throw e;
      return objects.stream().mapToLong(S3Object::size).sum();
    }
  }

  @Override
  public InputStream read(String key, long offset, long length) throws IOException {
    ArtifactKeys.check(key);
    if (offset < 0 || length <= 0)
      throw new IllegalArgumentException(
          "range must be offset >= 0, length > 0; got " + offset + ", " + length);
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    try {
      return s3.getObject(r -> r.bucket(bucket).key(key).range(range));
    } catch (NoSuchKeyException e) {
      throw new ArtifactNotFoundException(key, describe());
    } catch (SdkException e) {
      throw failure("ranged get", key, e);
    }
  }

  /** The objects under prefix, all pages. */
  List<S3Object> list(String prefix) throws IOException {
    try {
      List<S3Object> all = new ArrayList<>();
      for (S3Object o :
          s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()) {
        if (all.size() == MAX_DIRECTORY_OBJECTS) {
          throw new IOException(
              "directory artifact '"
                  + prefix
                  + "' in "
                  + describe()
                  + " has more than "
                  + MAX_DIRECTORY_OBJECTS
                  + " objects");
        }
        all.add(o);
      }
      return all;
    } catch (S3Exception e) {
      if (e.statusCode() == 404)
        throw new IOException("bucket '" + bucket + "' does not exist at " + endpoint);
      throw failure("list", prefix, e);
    } catch (SdkException e) {
      throw failure("list", prefix, e);
    }
  }

  /** Whether an object (not a prefix) exists under key. */
  public boolean exists(String key) throws IOException {
    try {
      size(key);
      return true;
    } catch (ArtifactNotFoundException e) {
      return false;
    }
  }

  private IOException failure(String op, String key, SdkException e) {
    String status = e instanceof S3Exception s3e ? " (HTTP " + s3e.statusCode() + ")" : "";
    return new IOException(
        "S3 "
            + op
            + " of '"
            + key
            + "' in "
            + describe()
            + " failed"
            + status
            + ": "
            + redact(e.getMessage() + rootCause(e)));
  }

  /**
   * The innermost cause's message when the SDK's own does not carry it (e.g. its generic text for
   * an UnknownHostException, which hides the host and why an address guard refused it).
   */
  private static String rootCause(Throwable e) {
    Throwable root = e;
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++)
      root = root.getCause();
    String m = root.getMessage();
    if (root == e || m == null || m.isBlank() || String.valueOf(e.getMessage()).contains(m))
      return "";
    return " (" + root.getClass().getSimpleName() + ": " + m + ")";
  }

  private String redact(String message) {
    return credentials.map(c -> c.redact(message)).orElse(message);
  }

  @Override
  public void close() {
    s3.close();
  }
}

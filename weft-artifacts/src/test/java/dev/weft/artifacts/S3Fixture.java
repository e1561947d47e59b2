package dev.weft.artifacts;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.shaded.org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server for tests: S3Proxy on 127.0.0.1 with a file-system blob store in a temporary
 * directory (objects are plain files at {@code <blobDir>/<bucket>/<key>}), started once per test
 * class. Register with {@code @RegisterExtension static final S3Fixture S3 = new S3Fixture();}.
 */
public final class S3Fixture implements BeforeAllCallback, AfterAllCallback {
  public static final String ACCESS_KEY = "weft-test-access-AKIA7Q";
  public static final String SECRET_KEY = "weft-test-secret-Zq9sK2pL4xV8";
  public static final String BUCKET = "weft-artifacts";

  private Path blobDir;
  private BlobStore blobStore;
  private S3Proxy proxy;
  private S3Client client;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
  }

  public void start() throws Exception {
    blobDir = Files.createTempDirectory("weft-s3proxy-");
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", blobDir.toString());
    props.setProperty("jclouds.identity", ACCESS_KEY);
    props.setProperty("jclouds.credential", SECRET_KEY);
    blobStore = BlobStores.create("filesystem", props);
    proxy =
        S3Proxy.builder()
            .blobStore(blobStore)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .stopTimeout(0)
            .build();
    proxy.start();
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) Thread.sleep(10);
    client =
        S3Client.builder()
            .endpointOverride(uri())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  public void stop() throws Exception {
    if (client != null) client.close();
    if (proxy != null) proxy.stop();
    if (blobStore != null) blobStore.close();
    if (blobDir != null) LocalDirectoryStore.deleteTree(blobDir);
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public int port() {
    return proxy.getPort();
  }

  /** A client with the fixture's credentials, to check what is (not) in the bucket. */
  public S3Client client() {
    return client;
  }

  /** Where the object {@code key} of {@link #BUCKET} lives as a file (for sparse test objects). */
  public Path objectFile(String key) {
    return blobDir.resolve(BUCKET).resolve(key);
  }

  public S3Credentials credentials() {
    return new S3Credentials(ACCESS_KEY, SECRET_KEY, java.util.Optional.empty());
  }

  /** A store for {@link #BUCKET} with the fixture's credentials. */
  public S3Store store() {
    return storeBuilder().build();
  }

  public S3Store.Builder storeBuilder() {
    return S3Store.builder().endpoint(uri()).bucket(BUCKET).credentials(credentials());
  }

  public boolean exists(String key) {
    try {
      client.headObject(r -> r.bucket(BUCKET).key(key));
      return true;
    } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
      return false;
    }
  }
}

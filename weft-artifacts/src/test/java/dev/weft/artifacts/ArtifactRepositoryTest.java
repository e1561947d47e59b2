package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.artifacts.ArtifactRepository.SecretRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ArtifactRepositoryTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();
  @TempDir Path tmp;

  /** Argo's docs/workflow-controller-configmap.yaml shape: the repository as a string value. */
  static final String CONTROLLER_CONFIGMAP =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: workflow-controller-configmap
      data:
        artifactRepository: |
          archiveLogs: true
          s3:
            endpoint: minio:9000
            bucket: my-bucket
            region: us-west-2
            insecure: true
            keyFormat: "my-artifacts/{{workflow.name}}/{{pod.name}}"
            accessKeySecret: {name: my-minio-cred, key: accesskey}
            secretKeySecret: {name: my-minio-cred, key: secretkey}
      """;

  /** Argo's quick-start artifact-repositories ConfigMap. */
  static final String ARTIFACT_REPOSITORIES =
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: artifact-repositories
        annotations:
          workflows.argoproj.io/default-artifact-repository: default-v1
      data:
        default-v1: |
          archiveLogs: true
          s3:
            bucket: my-bucket
            endpoint: minio:9000
            insecure: true
            accessKeySecret: {name: my-minio-cred, key: accesskey}
            secretKeySecret: {name: my-minio-cred, key: secretkey}
        other: |
          s3: {bucket: other-bucket, endpoint: s3.amazonaws.com, region: eu-west-1}
      """;

  @Test
  void readsTheControllerConfigMap() {
    ArtifactRepository r = ArtifactRepository.parse(CONTROLLER_CONFIGMAP, Optional.empty());
    assertThat(r.endpoint()).isEqualTo("minio:9000");
    assertThat(r.bucket()).isEqualTo("my-bucket");
    assertThat(r.region()).isEqualTo("us-west-2");
    assertThat(r.insecure()).isTrue();
    assertThat(r.pathStyle()).isTrue();
    assertThat(r.keyFormat()).isEqualTo("my-artifacts/{{workflow.name}}/{{pod.name}}");
    assertThat(r.accessKeySecret()).contains(new SecretRef("my-minio-cred", "accesskey"));
  }

  @Test
  void readsArtifactRepositoriesByAnnotationOrByEntry() {
    ArtifactRepository byDefault =
        ArtifactRepository.parse(ARTIFACT_REPOSITORIES, Optional.empty());
    assertThat(byDefault.bucket()).isEqualTo("my-bucket");
    assertThat(byDefault.keyFormat()).isEqualTo(ArtifactRepository.DEFAULT_KEY_FORMAT);
    ArtifactRepository other =
        ArtifactRepository.parse(ARTIFACT_REPOSITORIES, Optional.of("other"));
    assertThat(other.bucket()).isEqualTo("other-bucket");
    assertThat(other.pathStyle()).isFalse();
    assertThatThrownBy(() -> ArtifactRepository.parse(ARTIFACT_REPOSITORIES, Optional.of("nope")))
        .hasMessageContaining("no entry 'nope'");
  }

  @Test
  void readsTheBareBlock() {
    ArtifactRepository r =
        ArtifactRepository.parse(
            "s3: {endpoint: 127.0.0.1:9000, bucket: b-1, addressingStyle: virtual-hosted}",
            Optional.empty());
    assertThat(r.pathStyle()).isFalse();
    assertThat(r.insecure()).isFalse();
  }

  @Test
  void refusesWhatItCannotHonourByName() {
    assertThatThrownBy(() -> ArtifactRepository.parse("gcs: {bucket: b}", Optional.empty()))
        .hasMessageContaining("'gcs' is not supported");
    assertThatThrownBy(
            () ->
                ArtifactRepository.parse(
                    "s3: {endpoint: e, bucket: bbb, encryptionOptions: {enableEncryption: true}}",
                    Optional.empty()))
        .hasMessageContaining("s3.encryptionOptions");
    assertThatThrownBy(
            () ->
                ArtifactRepository.parse(
                    "s3: {endpoint: e, bucket: bbb, buckit: x}", Optional.empty()))
        .hasMessageContaining("s3.buckit");
    assertThatThrownBy(() -> ArtifactRepository.parse("s3: {bucket: bbb}", Optional.empty()))
        .hasMessageContaining("s3.endpoint");
    assertThatThrownBy(
            () ->
                ArtifactRepository.parse(
                    "s3: {endpoint: e, bucket: bbb, accessKeySecret: {name: n, key: k}}",
                    Optional.empty()))
        .hasMessageContaining("secretKeySecret");
  }

  @Test
  void credentialsComeFromMountedSecretFiles() throws Exception {
    Path secrets = tmp.resolve("secrets");
    ArchivesTest.write(secrets.resolve("my-minio-cred/accesskey"), S3Fixture.ACCESS_KEY + "\n");
    ArchivesTest.write(secrets.resolve("my-minio-cred/secretkey"), S3Fixture.SECRET_KEY);
    String yaml =
        "s3: {endpoint: '127.0.0.1:"
            + S3.port()
            + "', bucket: "
            + S3Fixture.BUCKET
            + ", insecure: true,"
            + " accessKeySecret: {name: my-minio-cred, key: accesskey}, secretKeySecret: {name: my-minio-cred, key: secretkey}}";
    ArtifactRepository repo = ArtifactRepository.parse(yaml, Optional.empty());
    try (S3Store store = new SecretFiles(Optional.of(secrets)).storeFor(repo, Map.of())) {
      store.put(ArchivesTest.write(tmp.resolve("f"), "via secrets"), "wf/secret-files");
      store.get("wf/secret-files", tmp.resolve("back"));
    }
    assertThat(tmp.resolve("back")).hasContent("via secrets");

    Files.delete(secrets.resolve("my-minio-cred/secretkey"));
    assertThatThrownBy(() -> new SecretFiles(Optional.of(secrets)).storeFor(repo, Map.of()))
        .hasMessageContaining("my-minio-cred")
        .hasMessageContaining("secretkey");
    assertThatThrownBy(() -> new SecretFiles(Optional.empty()).storeFor(repo, Map.of()))
        .hasMessageContaining("--artifact-secrets-dir");
  }

  @Test
  void credentialsComeFromTheEnvironmentWhenNoSecretIsNamed() throws Exception {
    ArtifactRepository repo =
        ArtifactRepository.parse(
            "s3: {endpoint: '127.0.0.1:"
                + S3.port()
                + "', bucket: "
                + S3Fixture.BUCKET
                + ", insecure: true}",
            Optional.empty());
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            S3Fixture.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY",
            S3Fixture.SECRET_KEY);
    try (S3Store store = new SecretFiles(Optional.empty()).storeFor(repo, env)) {
      store.put(ArchivesTest.write(tmp.resolve("f"), "via env"), "wf/env");
      assertThat(S3.exists("wf/env")).isTrue();
    }
  }

  @Test
  void namedSecretsWithoutASecretsDirectoryFallBackToTheEnvironment() throws Exception {
    ArtifactRepository repo =
        ArtifactRepository.parse(
            "s3: {endpoint: '127.0.0.1:"
                + S3.port()
                + "', bucket: "
                + S3Fixture.BUCKET
                + ", insecure: true, accessKeySecret: {name: my-minio-cred, key: accesskey}, secretKeySecret: {name: my-minio-cred, key: secretkey}}",
            Optional.empty());
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            S3Fixture.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY",
            S3Fixture.SECRET_KEY);
    try (S3Store store = new SecretFiles(Optional.empty()).storeFor(repo, env)) {
      store.put(ArchivesTest.write(tmp.resolve("f"), "via env, secrets named"), "wf/env-named");
    }
    assertThat(S3.exists("wf/env-named")).isTrue();
  }

  @Test
  void anArtifactOnAnotherServerDoesNotGetTheRepositoryCredentials() {
    ArtifactRepository repo = ArtifactRepository.parse(CONTROLLER_CONFIGMAP, Optional.empty());
    ArtifactRepository same =
        repo.overlay("", "other-bucket", "", Optional.empty(), Optional.empty(), Optional.empty());
    ArtifactRepository elsewhere =
        repo.overlay(
            "elsewhere:9000", "", "", Optional.empty(), Optional.empty(), Optional.empty());
    assertThat(same.accessKeySecret()).isPresent();
    assertThat(same.bucket()).isEqualTo("other-bucket");
    assertThat(elsewhere.accessKeySecret()).isEmpty();
    assertThat(elsewhere.bucket()).isEqualTo("my-bucket");
  }
}

package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.artifacts.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft run} end to end, in-process, on the example workflows. */
class RunCommandTest {
  @RegisterExtension static final S3Fixture S3 = new S3Fixture();

  private static final Path WORKFLOWS =
      Path.of(System.getProperty("weft.examples", "../examples/modules"))
          .getParent()
          .resolve("workflows");

  @Test
  void helloWorldSucceedsAndPrintsItsOutputs(@TempDir Path store) {
    Cli.Run r =
        Cli.weft(
            "run",
            WORKFLOWS.resolve("hello-world.yaml").toString(),
            "-p",
            "name=CLI",
            "--artifacts",
            store.toString(),
            "--no-cache");

    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("Status:     Succeeded")
        .contains("greeting: Hello, CLI!")
        .containsPattern("✔ hello-world-[a-z0-9]{5} +hello");
    assertThat(r.err()).contains("artifacts in").contains(store.toString());
  }

  @Test
  void yamlIsTheSameStatusAndNameIsJustTheName(@TempDir Path store) throws Exception {
    Cli.Run y =
        Cli.weft(
            "run",
            WORKFLOWS.resolve("steps.yaml").toString(),
            "-o",
            "yaml",
            "--artifacts",
            store.toString(),
            "--no-cache");
    Cli.Run n =
        Cli.weft(
            "run",
            WORKFLOWS.resolve("steps.yaml").toString(),
            "-o",
            "name",
            "--artifacts",
            store.toString(),
            "--no-cache");
    Cli.Run w =
        Cli.weft(
            "run",
            WORKFLOWS.resolve("steps.yaml").toString(),
            "-o",
            "wide",
            "--artifacts",
            store.toString(),
            "--no-cache");

    JsonNode j =
        new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(y.out());
    assertThat(j.at("/status/phase").asText()).isEqualTo("Succeeded");
    assertThat(j.at("/status/nodes").size()).isEqualTo(6);
    assertThat(n.out().strip()).matches("steps-[b-z2-9]{5}");
    assertThat(w.status()).isEqualTo(2);
    assertThat(w.err()).contains("-o wide is not supported by weft run");
  }

  @Test
  void jsonIsArgosWorkflowStatus(@TempDir Path store) throws Exception {
    Cli.Run r =
        Cli.weft(
            "run",
            WORKFLOWS.resolve("steps.yaml").toString(),
            "-o",
            "json",
            "--artifacts",
            store.toString(),
            "--no-cache");

    assertThat(r.status()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    String name = j.at("/metadata/name").asText();
    assertThat(j.at("/status/phase").asText()).isEqualTo("Succeeded");
    assertThat(j.at("/status/startedAt").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    JsonNode nodes = j.at("/status/nodes");
    assertThat(nodes.size()).isEqualTo(6);
    JsonNode root = nodes.get(name);
    assertThat(root.get("type").asText()).isEqualTo("Steps");
    assertThat(root.get("children").size()).isEqualTo(1); // [0]; [1] hangs off hello1, as in Argo
    JsonNode hello1 = null;
    for (JsonNode n : nodes) if (n.get("displayName").asText().equals("hello1")) hello1 = n;
    assertThat(hello1.get("children").get(0).asText()).isEqualTo(idOf(nodes, "[1]"));
    JsonNode hello2b = null;
    for (JsonNode n : nodes) if (n.get("displayName").asText().equals("hello2b")) hello2b = n;
    assertThat(hello2b.get("name").asText()).isEqualTo(name + "[1].hello2b");
    assertThat(hello2b.get("templateName").asText()).isEqualTo("hello");
    assertThat(hello2b.get("boundaryID").asText()).isEqualTo(name);
    assertThat(hello2b.at("/inputs/parameters/0/value").asText()).isEqualTo("hello2b");
    assertThat(hello2b.at("/outputs/parameters/0/name").asText()).isEqualTo("greeting");
    assertThat(hello2b.at("/outputs/parameters/0/value").asText()).isEqualTo("Hello, hello2b!");
    assertThat(nodes.get(hello2b.get("id").asText())).isEqualTo(hello2b);
  }

  private static String idOf(JsonNode nodes, String displayName) {
    for (JsonNode n : nodes)
      if (n.get("displayName").asText().equals(displayName)) return n.get("id").asText();
    return "";
  }

  @Test
  void failedWorkflowExitsOne(@TempDir Path store) {
    Cli.Run r =
        Cli.weft(
            "run",
            WORKFLOWS.resolve("exit-handler.yaml").toString(),
            "--artifacts",
            store.toString(),
            "--no-cache");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("Status:     Failed").contains("Message:    child '");
  }

  @Test
  void invalidWorkflowExitsTwoNamingFieldAndLine(@TempDir Path dir) throws Exception {
    Path wf =
        Files.writeString(
            dir.resolve("bad.yaml"),
            """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: bad}
        spec:
          entrypoint: main
          templates:
            - name: main
              sidecar: {}
              suspend: {duration: 1s}
        """);
    Cli.Run r = Cli.weft("run", wf.toString());

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "weft run: "
                + wf
                + ":8: spec.templates[0].sidecar: unknown field 'sidecar' (known here: "
                + "activeDeadlineSeconds, container, dag, failFast, inputs, metadata, name, outputs, parallelism, plugin, retryStrategy, script, steps, suspend, timeout)\n");
  }

  @Test
  void missingParameterExitsTwo(@TempDir Path dir) throws Exception {
    Path wf =
        Files.writeString(
            dir.resolve("p.yaml"),
            """
        apiVersion: argoproj.io/v1alpha1
        kind: Workflow
        metadata: {name: p}
        spec:
          entrypoint: main
          arguments: {parameters: [{name: who}]}
          templates:
            - name: main
              suspend: {duration: "0"}
        """);
    Cli.Run r = Cli.weft("run", wf.toString());

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .contains("workflow parameter 'who' has no value: give it with -p who=VALUE");
  }

  @Test
  void artifactsGoToTheS3RepositoryArgoConfigures(@TempDir Path dir) throws Exception {
    Path secrets = dir.resolve("secrets/my-s3-credentials");
    Files.createDirectories(secrets);
    Files.writeString(secrets.resolve("accessKey"), S3Fixture.ACCESS_KEY);
    Files.writeString(secrets.resolve("secretKey"), S3Fixture.SECRET_KEY);
    Path repo =
        Files.writeString(
            dir.resolve("repo.yaml"),
            """
        s3:
          endpoint: 127.0.0.1:%d
          bucket: %s
          insecure: true
          accessKeySecret: {name: my-s3-credentials, key: accessKey}
          secretKeySecret: {name: my-s3-credentials, key: secretKey}
        """
                .formatted(S3.port(), S3Fixture.BUCKET));
    Cli.Run r =
        Cli.weft(
            "run",
            WORKFLOWS.resolve("artifact-passing.yaml").toString(),
            "--artifact-repository",
            repo.toString(),
            "--artifact-secrets-dir",
            dir.resolve("secrets").toString(),
            "--no-cache",
            "-o",
            "json");

    assertThat(r.status()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    String key = null;
    for (JsonNode n : j.at("/status/nodes")) {
      if (n.get("displayName").asText().equals("generate-artifact"))
        key = n.at("/outputs/artifacts/0/key").asText();
    }
    assertThat(key).endsWith("/hello-art.tgz");
    assertThat(S3.exists(key)).isTrue();
    assertThat(r.out()).contains("1 2 12");
    assertThat(j.at("/status/artifactStore").asText())
        .contains(S3Fixture.BUCKET)
        .doesNotContain(S3Fixture.SECRET_KEY);
  }

  /**
   * A workflow whose step asks for HTTP to a real server on 127.0.0.1: granted only within
   * --allow-http.
   */
  @Test
  void httpPermissionsOfAStepNeedTheRunnersAllowHttp(@TempDir Path tmp) throws Exception {
    com.sun.net.httpserver.HttpServer backend =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext(
        "/hi",
        x -> {
          byte[] b = "hi from the test".getBytes(java.nio.charset.StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    backend.start();
    try {
      String base = "http://127.0.0.1:" + backend.getAddress().getPort();
      Path modules =
          Path.of(System.getProperty("weft.examples", "../examples/modules")).toAbsolutePath();
      Path wf =
          Files.writeString(
              tmp.resolve("http.yaml"),
              """
          apiVersion: argoproj.io/v1alpha1
          kind: Workflow
          metadata: {generateName: http-}
          spec:
            entrypoint: get
            templates:
              - name: get
                inputs: {parameters: [{name: url, value: "%s/hi"}]}
                outputs: {parameters: [{name: body, valueFrom: {supplied: {}}}]}
                plugin:
                  wasm:
                    module: {file: %s/http-request/http-request.wasm}
                    permissions: {http: {allowed_hosts: ["%s"]}}
          """
                  .formatted(base, modules, base));

      Cli.Run denied =
          Cli.weft("run", wf.toString(), "--artifacts", tmp.resolve("a").toString(), "--no-cache");
      Cli.Run allowed =
          Cli.weft(
              "run",
              wf.toString(),
              "--artifacts",
              tmp.resolve("b").toString(),
              "--no-cache",
              "--allow-http",
              base);

      assertThat(denied.status()).isEqualTo(1);
      assertThat(denied.out())
          .contains("plugin.wasm.permissions.http.allowed_hosts[0]")
          .contains("not permitted");
      assertThat(allowed.status()).as(allowed.out() + allowed.err()).isZero();
      assertThat(allowed.out()).contains("body: hi from the test");
    } finally {
      backend.stop(0);
    }
  }
}

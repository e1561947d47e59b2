package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.argo.CapabilityCeiling;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The executor plugin over real HTTP on 127.0.0.1, fed recorded Argo request bodies. Argo itself
 * cannot run here (no Kubernetes API server): the agent is stood in for by an HTTP client that
 * sends exactly its headers and bodies (docs/argo.md, "Testing without a cluster").
 */
class PluginServerTest {
  static final String TOKEN = "s3cr3t-token-from-the-agent";
  static PluginServer server;
  static PluginClient argo;

  @BeforeAll
  static void start() {
    // the recorded wasm-with-labels.json grants https://api.example.com; the operator's ceiling
    // must permit it
    server =
        PluginServer.start(
            ServerConfig.defaults(Optional.of(TOKEN))
                .withModuleDir(PluginClient.EXAMPLES)
                .withCapabilities(
                    new CapabilityCeiling(
                        java.util.List.of(
                            dev.weft.runtime.capability.http.AllowedUrl.parse(
                                "https://api.example.com")),
                        Optional.empty())));
    argo = new PluginClient(server, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Nested
  class RecordedRequests {
    @Test
    void helloStepSucceedsWithItsDeclaredOutputAndGlobalName() throws Exception {
      PluginClient.Reply r = argo.execute(PluginClient.recorded("hello-wasm.json"));

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.phase()).isEqualTo("Succeeded");
      assertThat(r.message()).isEqualTo("greeted Argo");
      assertThat(r.body().at("/node/outputs/parameters/0/name").asText()).isEqualTo("greeting");
      assertThat(r.body().at("/node/outputs/parameters/0/value").asText())
          .isEqualTo("Hello, Argo!");
      assertThat(r.body().at("/node/outputs/parameters/0/globalName").asText())
          .isEqualTo("greeting-global");
      assertThat(r.body().at("/node/outputs/exitCode").asText()).isEqualTo("0");
      assertThat(r.body().has("requeue")).isFalse();
    }

    @Test
    void templatesOfOtherPluginsGetAnEmptyReply() throws Exception {
      for (String name : new String[] {"earlier-plugin-sample.json", "argo-hello-plugin.json"}) {
        PluginClient.Reply r = argo.execute(PluginClient.recorded(name));

        assertThat(r.status()).as(name).isEqualTo(200);
        assertThat(r.body().isObject() && r.body().isEmpty()).as(name + " → {}").isTrue();
      }
    }

    @Test
    void ociModuleFromAnUnreachableRegistryFailsNamingIt() throws Exception {
      // the recorded body names ghcr.io; tests reach nothing but loopback, so point it at a closed
      // local port
      String body = PluginClient.recorded("wasm-oci.json").replace("ghcr.io/", "127.0.0.1:1/");
      PluginClient.Reply r = argo.execute(body);

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message())
          .contains("module cannot be loaded")
          .contains("cannot reach registry 127.0.0.1:1");
    }

    @Test
    void invalidOciReferenceFailsNamingTheField() throws Exception {
      PluginClient.Reply r =
          argo.execute(PluginClient.step("u-bad-oci", "{\"module\":{\"oci\":\"Bad Ref!\"}}", ""));

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message()).contains("plugin.wasm.module.oci").contains("Bad Ref!");
    }

    @Test
    void labelsAnnotationsUnknownFieldsAndNonStringValuesAreTolerated() throws Exception {
      PluginClient.Reply r = argo.execute(PluginClient.recorded("wasm-with-labels.json"));

      assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
      assertThat(r.body().at("/node/outputs/parameters/0/value").asText()).isEqualTo("Hello, 3!");
    }

    @Test
    void plainWasiFailureCarriesExitCodeAndStderrTail() throws Exception {
      PluginClient.Reply r = argo.execute(PluginClient.recorded("wasm-plain-wc.json"));

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message())
          .contains("exited with code 2")
          .contains("stderr: wc: cannot open /work/artifacts-in/text");
      assertThat(r.body().at("/node/outputs/exitCode").asText()).isEqualTo("2");
    }

    @Test
    void invalidSpecsFailWithTheFieldNamed() throws Exception {
      assertThat(argo.execute(PluginClient.recorded("invalid-spec-module-missing.json")).message())
          .contains("plugin.wasm.module")
          .contains("required");
      assertThat(
              argo.execute(PluginClient.recorded("invalid-spec-two-module-kinds.json")).message())
          .contains("plugin.wasm.module")
          .contains("exactly one");
      PluginClient.Reply r =
          argo.execute(PluginClient.recorded("invalid-spec-bad-memory-limit.json"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message()).contains("plugin.wasm.limits.memory").contains("lots");
    }
  }

  @Nested
  class Auth {
    @Test
    void missingOrWrongTokenIs403WithAJsonBody() throws Exception {
      String body = PluginClient.recorded("hello-wasm.json");
      for (String header :
          new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", TOKEN, "Basic " + TOKEN}) {
        PluginClient.Reply r = argo.execute(body, header);

        assertThat(r.status()).as(String.valueOf(header)).isEqualTo(403);
        assertThat(r.body().path("error").asText()).contains("bearer token");
      }
    }

    @Test
    void probesAndMetricsNeedNoToken() throws Exception {
      assertThat(argo.get("/healthz").body()).isEqualTo("ok\n");
      // ready once the warm-up is done
      long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      HttpResponse<String> ready = argo.get("/readyz");
      while (ready.statusCode() != 200 && System.nanoTime() < until) {
        assertThat(ready.body()).isEqualTo("warming up\n");
        Thread.sleep(20);
        ready = argo.get("/readyz");
      }
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ready\n");
      HttpResponse<String> m = argo.get("/metrics");
      assertThat(m.statusCode()).isEqualTo(200);
      argo.execute(PluginClient.recorded("hello-wasm.json"));
      assertThat(argo.get("/metrics").body())
          .contains("weft_tasks_total{phase=\"Succeeded\"}")
          .contains("weft_task_phase_seconds_bucket{phase=\"run\"")
          .contains("weft_module_cache_misses_total")
          .contains("weft_queue_depth")
          .contains("weft_billable_memory_mib_milliseconds_total");
    }
  }

  @Nested
  class BadRequests {
    @Test
    void malformedJsonIs400NamingThePosition() throws Exception {
      PluginClient.Reply r = argo.execute("{\"workflow\": {\"metadata\": ");

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().path("error").asText()).startsWith("malformed JSON at line 1, column");
    }

    @Test
    void missingTemplateIs400NamingIt() throws Exception {
      PluginClient.Reply r = argo.execute("{\"workflow\":{\"metadata\":{\"name\":\"wf\"}}}");

      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().path("error").asText()).contains("template");
    }

    @Test
    void stepMayNotRaiseTheServersLimits() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-limits",
                  "{\"module\":{\"file\":\"hello/hello.wasm\"},\"limits\":{\"memory\":\"2Gi\"}}",
                  ""));

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message())
          .contains("plugin.wasm.limits.memory")
          .contains("above the operator's limit of 256MiB");
    }

    @Test
    void fileModulesCannotLeaveTheModuleDirectory() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step("u-escape", "{\"module\":{\"file\":\"../../etc/passwd\"}}", ""));

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message())
          .contains("plugin.wasm.module.file")
          .contains("outside the module directory");
    }

    @Test
    void unpinnedHttpModulesAreRefused() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-http", "{\"module\":{\"http\":{\"url\":\"http://127.0.0.1:1/x.wasm\"}}}", ""));

      assertThat(r.message()).contains("plugin.wasm.module.http.sha256").contains("required");
    }

    @Test
    void moduleThatCannotLoadFailsNamingTheImport() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-import", "{\"module\":{\"file\":\"adversarial/unknown_import.wasm\"}}", ""));

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message()).contains("module cannot be loaded").contains("env.host_magic");
    }
  }

  @Nested
  class Outputs {
    @Test
    void declaredOutputTheModuleDidNotProduceFailsNamingIt() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-out",
                  "{\"module\":{\"file\":\"hello/hello.wasm\"}}",
                  "\"outputs\":{\"parameters\":[{\"name\":\"absent\",\"valueFrom\":{\"supplied\":{}}}]}"));

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message()).contains("output parameter 'absent' was not produced");
    }

    @Test
    void declaredDefaultIsUsedWhenTheModuleGivesNone() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-default",
                  "{\"module\":{\"file\":\"hello/hello.wasm\"}}",
                  "\"outputs\":{\"parameters\":[{\"name\":\"absent\",\"valueFrom\":{\"default\":\"fallback\"}}]}"));

      assertThat(r.phase()).isEqualTo("Succeeded");
      assertThat(r.body().at("/node/outputs/parameters/0/name").asText()).isEqualTo("absent");
      assertThat(r.body().at("/node/outputs/parameters/0/value").asText()).isEqualTo("fallback");
    }

    @Test
    void plainWasiStdoutBecomesTheResult() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-result",
                  "{\"module\":{\"file\":\"adversarial/probe.wasm\"},\"args\":[\"x\"],\"env\":{\"A\":\"1\"}}",
                  ""));

      assertThat(r.phase()).isEqualTo("Succeeded");
      assertThat(r.body().at("/node/outputs/result").asText())
          .contains("arg[1]=x")
          .contains("env=A=1")
          .doesNotEndWith("\n");
    }

    @Test
    void rawInputArtifactReachesTheModuleAndUnuploadableOutputsAreSaid() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-raw",
                  "{\"module\":{\"file\":\"reverse/reverse.wasm\"}}",
                  "\"inputs\":{\"parameters\":[{\"name\":\"text\",\"value\":\"abc\"}],"
                      + "\"artifacts\":[{\"name\":\"text\",\"path\":\"/text.txt\",\"raw\":{\"data\":\"stressed\"}}]}"));

      assertThat(r.phase()).as(r.message()).isEqualTo("Succeeded");
      assertThat(r.body().at("/node/outputs/parameters/0/value").asText()).isEqualTo("cba");
      assertThat(r.message()).contains("output artifacts not uploaded (reversed)");
    }

    @Test
    void nonRawInputArtifactFailsNamingIt() throws Exception {
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-s3",
                  "{\"module\":{\"file\":\"hello/hello.wasm\"}}",
                  "\"inputs\":{\"artifacts\":[{\"name\":\"data\",\"path\":\"/data\",\"s3\":{\"key\":\"a/b.tgz\"}}]}"));

      assertThat(r.phase()).isEqualTo("Failed");
      assertThat(r.message())
          .contains("inputs.artifacts[0]")
          .contains("'data'")
          .contains("not supported");
    }

    @Test
    void pluginOptionsReachTheModule() throws Exception {
      // escape reads its variant from parameters; hello ignores options: use probe of input.json
      // via wc byte count
      PluginClient.Reply r =
          argo.execute(
              PluginClient.step(
                  "u-options",
                  "{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/work/input.json\"],\"answer\":42}",
                  ""));
      PluginClient.Reply without =
          argo.execute(
              PluginClient.step(
                  "u-options",
                  "{\"module\":{\"file\":\"wc/wc.wasm\"},\"args\":[\"/work/input.json\"]}",
                  ""));

      int bytesWith = Integer.parseInt(r.body().at("/node/outputs/result").asText().split(" ")[2]);
      int bytesWithout =
          Integer.parseInt(without.body().at("/node/outputs/result").asText().split(" ")[2]);
      assertThat(bytesWith - bytesWithout)
          .as("input.json grows by {\"name\":\"answer\",\"value\":42}")
          .isEqualTo("{\"name\":\"answer\",\"value\":42}".length());
    }
  }
}

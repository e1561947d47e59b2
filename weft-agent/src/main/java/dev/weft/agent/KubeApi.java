package dev.weft.agent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's own calls to the Kubernetes API, on the client's HTTP connection and credentials:
 * read a TaskSet, merge-patch its status subresource, read a Workflow, read a Secret key. The calls
 * are made as raw requests so that their wire format is exactly Argo's ({@code
 * application/merge-patch+json} on {@code …/workflowtasksets/<name>/status}), one request per call,
 * and so that 409, 429 and 5xx come back to the agent's own retry loop instead of the client's.
 */
final class KubeApi
    implements StatusPatcher.Api, HttpTemplates.SecretReader, WorkflowRepositories.Workflows {
  private static final long TIMEOUT_SECONDS = 30;
  private final KubernetesClient client;
  private final HttpClient http;
  private final String base;

  KubeApi(KubernetesClient client) {
    this.client = client;
    RequestConfig noRetries =
        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
            .withRequestRetryBackoffLimit(0)
            .build();
    this.http = client.getHttpClient().newBuilder().tag(noRetries).build();
    String master = client.getMasterUrl().toString();
    this.base = master.endsWith("/") ? master : master + "/";
  }

  /** {@code …/apis/argoproj.io/v1alpha1/namespaces/<ns>/workflowtasksets/<name>}. */
  String path(TaskSet.Ref ref) {
    return argoPath(ref.namespace(), TaskSet.PLURAL, ref.name());
  }

  /** {@code …/apis/argoproj.io/v1alpha1/namespaces/<ns>/workflows/<name>}. */
  String workflowPath(String namespace, String name) {
    return argoPath(namespace, "workflows", name);
  }

  private String argoPath(String namespace, String plural, String name) {
    return base
        + "apis/"
        + TaskSet.GROUP
        + "/"
        + TaskSet.VERSION
        + "/namespaces/"
        + namespace
        + "/"
        + plural
        + "/"
        + name;
  }

  @Override
  public Response workflow(String namespace, String name) throws IOException, InterruptedException {
    return send(http.newHttpRequestBuilder().uri(workflowPath(namespace, name)).build());
  }

  @Override
  public Response get(TaskSet.Ref ref) throws IOException, InterruptedException {
    return send(http.newHttpRequestBuilder().uri(path(ref)).build());
  }

  @Override
  public Response patchStatus(TaskSet.Ref ref, byte[] mergePatch)
      throws IOException, InterruptedException {
    return send(
        http.newHttpRequestBuilder()
            .uri(path(ref) + "/status")
            .method(
                "PATCH",
                "application/merge-patch+json",
                new String(mergePatch, StandardCharsets.UTF_8))
            .build());
  }

  private Response send(HttpRequest request) throws IOException, InterruptedException {
    try {
      HttpResponse<byte[]> r =
          http.sendAsync(request, byte[].class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return new Response(r.code(), r.body() == null ? new byte[0] : r.body());
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io
          ? io
          : new IOException(String.valueOf(e.getCause()), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("no answer from the Kubernetes API within " + TIMEOUT_SECONDS + "s");
    }
  }

  /** A Secret's key in the workflow's namespace, as Argo's agent reads header values. */
  @Override
  public String read(String namespace, String name, String key) throws IOException {
    if (name.isEmpty() || key.isEmpty())
      throw new IOException("secretKeyRef needs a name and a key");
    Secret s;
    try {
      s = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new IOException(
          "cannot read Secret "
              + namespace
              + "/"
              + name
              + " (HTTP "
              + e.getCode()
              + ")"
              + (e.getCode() == 403
                  ? ": weft agent's role needs get on secrets in this namespace"
                  : ""));
    }
    if (s == null) throw new IOException("Secret " + namespace + "/" + name + " not found");
    String v = s.getData() == null ? null : s.getData().get(key);
    if (v == null)
      throw new IOException("Secret " + namespace + "/" + name + " has no key '" + key + "'");
    return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
  }
}

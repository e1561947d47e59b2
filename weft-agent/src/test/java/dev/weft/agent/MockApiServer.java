package dev.weft.agent;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * The stand-in for a Kubernetes API server: fabric8's mock server in CRUD mode (plus expectations,
 * which answer first while they last), on 127.0.0.1 over plain HTTP (the agent's requests are the
 * same; TLS set-up per test would only add seconds). It keeps a copy of every request with its body
 * (the CRUD dispatcher consumes the recorded one), so tests can check the wire format.
 */
final class MockApiServer implements AutoCloseable {
  /** One request as it arrived. */
  record Request(String method, String path, String contentType, String body, String userAgent) {
    boolean isStatusPatch() {
      return method.equals("PATCH") && path.endsWith("/status");
    }
  }

  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;
  private final List<Request> requests = new ArrayList<>();

  MockApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMixedDispatcher dispatcher =
        new KubernetesMixedDispatcher(responses) {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
            synchronized (requests) {
              requests.add(
                  new Request(
                      request.getMethod(),
                      request.getPath(),
                      String.valueOf(request.getHeader("Content-Type")),
                      new String(body, StandardCharsets.UTF_8),
                      String.valueOf(request.getHeader("User-Agent"))));
            }
            return super.dispatch(request);
          }
        };
    server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            dispatcher,
            false);
    server.init();
    client = server.createClient();
  }

  /** A further client, as another replica would have. */
  NamespacedKubernetesClient newClient() {
    return server.createClient();
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Status patches whose body carries a result of this phase for this node. */
  long statusPatches(String nodeId, String phase) {
    return requests().stream()
        .filter(Request::isStatusPatch)
        .map(
            r ->
                ArgoStandIn.parse(r.body())
                    .path("status")
                    .path("nodes")
                    .path(nodeId)
                    .path("phase")
                    .asText())
        .filter(phase::equals)
        .count();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}

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
  /**
   * One request as it arrived, recorded before it is answered (the answer's effects, such as watch
   * events, may be seen first), then with the status it was answered (0 until then, 101 for a watch
   * opened).
   */
  record Request(
      String method,
      String path,
      String contentType,
      String body,
      String userAgent,
      java.util.concurrent.atomic.AtomicInteger code) {
    boolean isStatusPatch() {
      return method.equals("PATCH") && path.endsWith("/status");
    }

    /** Answered 4xx or 5xx, such as a 409 for a stale resourceVersion. */
    boolean refused() {
      return code.get() >= 400;
    }
  }

  final KubernetesMockServer server;
  final NamespacedKubernetesClient client;
  private final List<Request> requests = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger expiredWatches =
      new java.util.concurrent.atomic.AtomicInteger();

  MockApiServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMixedDispatcher dispatcher =
        new KubernetesMixedDispatcher(responses) {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
            var code = new java.util.concurrent.atomic.AtomicInteger();
            synchronized (requests) {
              requests.add(
                  new Request(
                      request.getMethod(),
                      request.getPath(),
                      String.valueOf(request.getHeader("Content-Type")),
                      new String(body, StandardCharsets.UTF_8),
                      String.valueOf(request.getHeader("User-Agent")),
                      code));
            }
            MockResponse answer = answer(request);
            code.set(answer.getWebSocketListener() != null ? 101 : answer.code());
            return answer;
          }

          private MockResponse answer(RecordedRequest request) {
            String path = request.getPath();
            if (path.contains("/workflowtasksets?")
                && path.contains("watch=true")
                && path.contains("resourceVersion=")
                && expiredWatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              // what an API server answers a watch from a version it no longer keeps: the watch
              // opens, then one ERROR event carrying a 410 Status ("too old resource version")
              return new MockResponse()
                  .withWebSocketUpgrade(
                      new io.fabric8.mockwebserver.http.WebSocketListener() {
                        @Override
                        public void onOpen(
                            io.fabric8.mockwebserver.http.WebSocket ws,
                            io.fabric8.mockwebserver.http.Response r) {
                          ws.send(
                              "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                                  + "\"metadata\":{},\"status\":\"Failure\",\"message\":\"too old resource version: 7 (42)\","
                                  + "\"reason\":\"Expired\",\"code\":410}}");
                          ws.close(1000, "");
                        }
                      });
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

  /**
   * The next {@code n} watches of WorkflowTaskSets that resume from a resource version are answered
   * 410 Gone ("too old resource version"), as after the API server's watch cache moved on.
   */
  void expireNextWatches(int n) {
    expiredWatches.set(n);
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

  /**
   * Status patches not refused whose body carries a result of this phase for this node: the writes
   * of that result (a patch refused with 409 and sent again is one write).
   */
  long statusPatches(String nodeId, String phase) {
    return requests().stream()
        .filter(r -> r.isStatusPatch() && !r.refused())
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

package dev.weft.plugin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.argo.NodeResult;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Bytes the {@code weft serve} request path's JSON steps allocate per request, on this thread
 * ({@code ThreadMXBean.getCurrentThreadAllocatedBytes}): reading the body into a tree ({@link
 * ExecuteRequest#read}), the repeat key ({@link ExecuteRequest#key}) and writing a reply, with the
 * server's mapper settings and serve-ab.sh's hello body. In this package because those are the
 * server's package-private steps (docs/benchmarks.md §5.1).
 *
 * <p>Usage: {@code java -cp weft-bench/target/weft-bench.jar dev.weft.plugin.RequestPathAllocation}
 */
public final class RequestPathAllocation {
  public static void main(String[] a) throws Exception {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ObjectMapper json =
        new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    ObjectMapper canonical =
        new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    byte[][] bodies = new byte[1000][];
    for (int i = 0; i < bodies.length; i++)
      bodies[i] =
          ("{\"workflow\":{\"metadata\":{\"name\":\"load\",\"namespace\":\"argo\",\"uid\":\"ab-"
                  + i
                  + "-1234567\"}},"
                  + "\"template\":{\"name\":\"hello\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"load\"}]},"
                  + "\"outputs\":{\"parameters\":[{\"name\":\"greeting\",\"valueFrom\":{\"supplied\":{}}}]},"
                  + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"}}}}}")
              .getBytes(StandardCharsets.UTF_8);
    int n = 20_000;
    long sink = 0;
    for (int round = 0; round < 6; round++) { // the first three warm the JIT (escape analysis)
      long read = 0, key = 0, reply = 0;
      for (int i = 0; i < n; i++) {
        long t0 = mx.getCurrentThreadAllocatedBytes();
        ExecuteRequest r = ExecuteRequest.read("application/json", bodies[i % bodies.length], json);
        long t1 = mx.getCurrentThreadAllocatedBytes();
        sink += r.key(canonical).length();
        long t2 = mx.getCurrentThreadAllocatedBytes();
        ObjectNode node = json.createObjectNode();
        node.set("node", NodeResult.failed("x").toJson());
        sink += json.writeValueAsBytes(node).length;
        long t3 = mx.getCurrentThreadAllocatedBytes();
        read += t1 - t0;
        key += t2 - t1;
        reply += t3 - t2;
      }
      if (round >= 3)
        System.out.printf(
            "round %d: read %d B, key %d B, reply %d B per request%n",
            round, read / n, key / n, reply / n);
    }
    if (sink == 42) System.out.println(); // keeps the results alive
  }
}

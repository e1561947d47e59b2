package dev.weft.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.runtime.Digests;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The template digest streamed with sorted keys is the digest of the bytes the server hashed before
 * (the template converted to maps, written with {@code ORDER_MAP_ENTRIES_BY_KEYS}), so a step keeps
 * its key; and templates that differ only in key order share one.
 */
class ExecuteRequestKeyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"b\":1,\"a\":{\"z\":[3,2,{\"y\":null,\"x\":true}],\"c\":\"d\"}}",
        "{\"name\":\"hello\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"load\"}]},"
            + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"}}}}",
        "{\"n\":[0,-1,2147483648,-9223372036854775809,123456789012345678901234567890,1.0,-0.0,"
            + "1e300,3.141592653589793,1.5E-7,0.1]}",
        "{\"s\":\"quote \\\" backslash \\\\ tab \\t nl \\n ctl \\u0001 ls \\u2028 é 日本 😀\","
            + "\"\\u00e9\":1,\"e\":2,\"Z\":3,\"a\":4,\"\":5}",
        "{\"deep\":{\"a\":{\"b\":{\"c\":{\"d\":[[],[{}],[[{\"y\":1,\"x\":2}]]]}}}},\"f\":false}"
      })
  void theStreamedDigestIsTheDigestOfTheCanonicalBytesOfBefore(String template) throws Exception {
    JsonNode node = JSON.readTree(template);
    String before =
        Digests.sha256(CANONICAL.writeValueAsBytes(CANONICAL.convertValue(node, Map.class)))
            .substring(7);
    assertThat(ExecuteRequest.canonicalDigest(node, CANONICAL)).isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\":1,\"b\":{\"c\":2,\"d\":3}}|{\"b\":{\"d\":3,\"c\":2},\"a\":1}",
        "{\"a\":[{\"x\":1,\"y\":2}]}|{\"a\":[{\"y\":2,\"x\":1}]}"
      })
  void keyOrderDoesNotChangeTheKey(String pair) throws Exception {
    String[] t = pair.split("\\|");
    JsonNode meta = JSON.readTree("{\"uid\":\"u-1\"}");
    String a = new ExecuteRequest(meta, JSON.readTree(t[0])).key(CANONICAL);
    String b = new ExecuteRequest(meta, JSON.readTree(t[1])).key(CANONICAL);
    assertThat(a).isEqualTo(b).startsWith("u-1/").hasSize("u-1/".length() + 64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":[1,2]}|{\"a\":[2,1]}", "{\"a\":1}|{\"a\":\"1\"}"})
  void differentContentGivesDifferentKeys(String pair) throws Exception {
    String[] t = pair.split("\\|");
    JsonNode meta = JSON.readTree("{\"namespace\":\"argo\",\"name\":\"wf\"}");
    String a = new ExecuteRequest(meta, JSON.readTree(t[0])).key(CANONICAL);
    String b = new ExecuteRequest(meta, JSON.readTree(t[1])).key(CANONICAL);
    assertThat(a).isNotEqualTo(b).startsWith("argo/wf/");
  }
}

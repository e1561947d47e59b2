package dev.weft.runtime.capability.env;

import dev.weft.runtime.capability.Capability;
import dev.weft.runtime.capability.CapabilityKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Environment variables and secrets for the module's WASI environment. {@code values} are plain
 * variables; each of {@code secretDirs} is a Kubernetes-style mounted Secret (a directory with one
 * file per key), whose keys become variables named after the files. Only names are logged.
 */
public record EnvCapability(Map<String, String> values, List<Path> secretDirs)
    implements Capability {

  /** A secret file larger than this is refused: env variables are for tokens, not payloads. */
  public static final int MAX_SECRET_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(EnvCapability.class);

  public EnvCapability {
    values = Map.copyOf(values);
    secretDirs = List.copyOf(secretDirs);
  }

  /** The kind: no host functions, only WASI environment variables. */
  public static final CapabilityKind KIND =
      new CapabilityKind() {
        @Override
        public String name() {
          return "env";
        }

        @Override
        public Map<String, com.dylibso.chicory.wasm.types.FunctionType> imports() {
          return Map.of();
        }

        @Override
        public java.util.Optional<Capability> denyAll() {
          return java.util.Optional.empty();
        }

        @Override
        public String toString() {
          return "capability env";
        }
      };

  @Override
  public CapabilityKind kind() {
    return KIND;
  }

  @Override
  public boolean restartable() {
    return true;
  }

  @Override
  public Session open(String moduleName) {
    Map<String, String> env = new LinkedHashMap<>(values);
    for (Path dir : secretDirs) env.putAll(readSecretDir(dir));
    LOG.info("capability env granted to module {}: variables {}", moduleName, env.keySet());
    return new Session() {
      @Override
      public Map<String, String> environment() {
        return env;
      }
    };
  }

  private static Map<String, String> readSecretDir(Path dir) {
    Map<String, String> m = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        String key = f.getFileName().toString();
        // Kubernetes' projected volumes keep ..data and timestamped dirs next to the key links
        if (key.startsWith(".") || !Files.isRegularFile(f)) continue;
        long size = Files.size(f);
        if (size > MAX_SECRET_BYTES) {
          throw new IllegalArgumentException(
              "secret file " + f + " is " + size + " bytes, over the limit of " + MAX_SECRET_BYTES);
        }
        m.put(key, new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read secret directory " + dir + ": " + e.getMessage(), e);
    }
    return m;
  }

  /** Never prints values. */
  @Override
  public String toString() {
    return "EnvCapability[variables=" + values.keySet() + ", secretDirs=" + secretDirs + "]";
  }
}

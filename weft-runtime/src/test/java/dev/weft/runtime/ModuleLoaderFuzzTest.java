package dev.weft.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated modules: loading gives a module or a {@link WeftException} naming the problem,
 * never another exception or an Error. Seeded; raise the tries for a longer run ({@code
 * -Djqwik.tries.default=100000}, docs/security.md).
 */
class ModuleLoaderFuzzTest {
  private static final WeftRuntime WEFT =
      WeftRuntime.builder().engine(Engine.INTERPRETER).cacheMaxBytes(0).build();
  private static final byte[] HELLO;

  static {
    try {
      HELLO = Files.readAllBytes(Examples.module("hello"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Property(seed = "1907", tries = 150)
  void aMutatedModuleLoadsOrIsRefusedByName(@ForAll("mutations") byte[] module) {
    loadOrRefuse(module);
  }

  @Property(seed = "1908", tries = 300)
  void randomBytesAfterTheHeaderAreRefusedByName(@ForAll("tails") byte[] tail) {
    byte[] m = Arrays.copyOf(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0}, 8 + tail.length);
    System.arraycopy(tail, 0, m, 8, tail.length);
    loadOrRefuse(m);
  }

  private static void loadOrRefuse(byte[] module) {
    try {
      LoadedModule m = WEFT.load(ModuleSource.bytes("fuzz", module));
      assertThat(m.digest()).startsWith("sha256:");
    } catch (WeftException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<byte[]> tails() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
  }

  /** hello.wasm with a few bytes overwritten, or cut short. */
  @Provide
  Arbitrary<byte[]> mutations() {
    Arbitrary<int[]> positions =
        Arbitraries.integers()
            .between(8, HELLO.length - 1)
            .array(int[].class)
            .ofMinSize(1)
            .ofMaxSize(8);
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofSize(8);
    Arbitrary<Integer> cut =
        Arbitraries.integers()
            .between(9, HELLO.length)
            .withDistribution(net.jqwik.api.RandomDistribution.uniform());
    return Combinators.combine(positions, values, cut, Arbitraries.of(true, false))
        .as(
            (pos, val, len, truncate) -> {
              byte[] m = HELLO.clone();
              for (int i = 0; i < pos.length; i++) m[pos[i]] = val[i];
              return truncate ? Arrays.copyOf(m, len) : m;
            });
  }
}

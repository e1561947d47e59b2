package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutated tgz and zip archives: unpacking gives files inside the target, within the limits, or an
 * IOException naming the problem; never another exception, never a file outside the target.
 */
class ArchiveFuzzTest {
  private static Path work;
  private static byte[] tgz;
  private static byte[] zip;
  private static final Archives.UnpackLimits LIMITS = new Archives.UnpackLimits(1 << 20, 200);

  @BeforeContainer
  static void archives() throws IOException {
    work = Files.createTempDirectory("weft-archive-fuzz-");
    Path src = Files.createDirectories(work.resolve("src/d"));
    Files.writeString(src.resolve("a.txt"), "hello ".repeat(50));
    Files.writeString(src.getParent().resolve("b.txt"), "world");
    Archives.tgz(work.resolve("src"), work.resolve("x.tgz"));
    Archives.zip(work.resolve("src"), work.resolve("x.zip"));
    tgz = Files.readAllBytes(work.resolve("x.tgz"));
    zip = Files.readAllBytes(work.resolve("x.zip"));
  }

  @AfterContainer
  static void clean() throws IOException {
    try (Stream<Path> s = Files.walk(work)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(seed = "3107", tries = 300)
  void aMutatedTgzUnpacksInsideItsTargetOrFailsWithAnIoError(@ForAll("tgzMutations") byte[] archive)
      throws IOException {
    unpackOrRefuse(archive, Archives.Format.TGZ);
  }

  @Property(seed = "3108", tries = 300)
  void aMutatedZipUnpacksInsideItsTargetOrFailsWithAnIoError(@ForAll("zipMutations") byte[] archive)
      throws IOException {
    unpackOrRefuse(archive, Archives.Format.ZIP);
  }

  private static void unpackOrRefuse(byte[] archive, Archives.Format format) throws IOException {
    Path dir = Files.createTempDirectory(work, "case-");
    Path file = dir.resolve("in");
    Path target = dir.resolve("out");
    Files.write(file, archive);
    try {
      Archives.unpack(file, target, format, LIMITS);
    } catch (IOException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      assertThat(s.filter(p -> !p.startsWith(target) && !p.equals(dir) && !p.equals(file)).toList())
          .as("nothing outside the target")
          .isEmpty();
    }
    if (Files.exists(target)) {
      try (Stream<Path> s = Files.walk(target)) {
        long bytes =
            s.filter(Files::isRegularFile)
                .mapToLong(
                    p -> {
                      try {
                        return Files.size(p);
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    })
                .sum();
        assertThat(bytes).isLessThanOrEqualTo(LIMITS.maxBytes());
      }
    }
  }

  @Provide
  Arbitrary<byte[]> tgzMutations() {
    return mutations(tgz);
  }

  @Provide
  Arbitrary<byte[]> zipMutations() {
    return mutations(zip);
  }

  private static Arbitrary<byte[]> mutations(byte[] original) {
    Arbitrary<int[]> positions =
        Arbitraries.integers()
            .between(0, original.length - 1)
            .array(int[].class)
            .ofMinSize(1)
            .ofMaxSize(6);
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofSize(6);
    Arbitrary<Integer> cut = Arbitraries.integers().between(1, original.length);
    return Combinators.combine(positions, values, cut, Arbitraries.of(true, false))
        .as(
            (pos, val, len, truncate) -> {
              byte[] m = original.clone();
              for (int i = 0; i < pos.length; i++) m[pos[i]] = val[i];
              return truncate ? Arrays.copyOf(m, len) : m;
            });
  }
}

package dev.weft.runtime.internal.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.runtime.SandboxStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Charging what staging created in one go leaves the sandbox exactly as charging each entry on its
 * own: the same count, the same space taken, and when they do not all fit, the same partial charge
 * and the same refusal.
 */
class SandboxChargeTest {
  private static final long CAP = 16 * 4096; // 32 entries of 2 KiB

  /** Creates {@code files} empty files and {@code dirs} directories under /work, uncharged. */
  private static List<Path> stage(Sandbox s, int files, int dirs) throws IOException {
    List<Path> made = new ArrayList<>();
    for (int d = 0; d < dirs; d++) made.add(Files.createDirectory(s.work().resolve("d" + d)));
    for (int f = 0; f < files; f++)
      made.add(Files.createFile(s.work().resolve(dirs > 0 ? "d0/f" + f : "f" + f)));
    return made;
  }

  private static long free(Sandbox s) throws IOException {
    return Files.getFileStore(s.work()).getUnallocatedSpace();
  }

  @Test
  void chargingWhatExistsMatchesChargingEachEntry() throws IOException {
    try (Sandbox batch = Sandbox.create(SandboxStorage.MEMORY, List.of(), CAP);
        Sandbox each = Sandbox.create(SandboxStorage.MEMORY, List.of(), CAP)) {
      stage(batch, 9, 2);
      for (Path p : stage(each, 9, 2)) each.chargeEntry(p);
      batch.chargeExisting();
      assertThat(batch.entries()).isEqualTo(11).isEqualTo(each.entries());
      assertThat(free(batch)).isEqualTo(free(each)).isLessThan(CAP);
      assertThat(batch.spaceRefused()).isFalse();
    }
  }

  @Test
  void entriesUnderNestedPreopensAreChargedOnce() throws IOException {
    // an input directly under "/" preopens the sandbox's root as well as /work and /tmp
    try (Sandbox s =
        Sandbox.create(SandboxStorage.MEMORY, List.of(), CAP, List.of("/art", "/in/data.txt"))) {
      assertThat(s.preopens().keySet()).contains("/", "/work", "/in");
      Files.createFile(s.work().resolve("input.json"));
      s.chargeExisting();
      // /work, /tmp, /in (as entries of "/") and /work/input.json
      assertThat(s.entries()).isEqualTo(4);
    }
  }

  @Test
  void whenNotAllFitTheChargeStopsWhereEachEntryOnItsOwnWould() throws IOException {
    try (Sandbox batch = Sandbox.create(SandboxStorage.MEMORY, List.of(), CAP);
        Sandbox each = Sandbox.create(SandboxStorage.MEMORY, List.of(), CAP)) {
      stage(batch, 40, 0);
      List<Path> made = stage(each, 40, 0);
      assertThatThrownBy(
              () -> {
                for (Path p : made) each.chargeEntry(p);
              })
          .isInstanceOf(IOException.class)
          .hasMessageContaining("out of disk space");
      assertThatThrownBy(batch::chargeExisting)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("out of disk space");
      assertThat(each.entries()).isEqualTo(32);
      assertThat(batch.entries()).isEqualTo(each.entries());
      assertThat(free(batch)).isEqualTo(free(each));
      assertThat(batch.spaceRefused()).isTrue();
      assertThat(batch.full()).isTrue();
      assertThat(each.full()).isTrue();
    }
  }
}

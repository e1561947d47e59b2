package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryStoreTest {
  @TempDir Path tmp;

  @Test
  void storesAndReturnsFilesAndDirectories() throws Exception {
    LocalDirectoryStore store = new LocalDirectoryStore(tmp.resolve("store"));
    store.put(ArchivesTest.write(tmp.resolve("a.txt"), "A"), "wf/node-1/a.txt");
    ArchivesTest.write(tmp.resolve("dir/x/y.txt"), "Y");
    store.put(tmp.resolve("dir"), "wf/node-1/dir");

    store.get("wf/node-1/a.txt", tmp.resolve("out/deep/a.txt"));
    store.get("wf/node-1/dir", tmp.resolve("out/dir"));

    assertThat(tmp.resolve("out/deep/a.txt")).hasContent("A");
    assertThat(tmp.resolve("out/dir/x/y.txt")).hasContent("Y");
    assertThat(store.root().resolve("wf/node-1/a.txt")).hasContent("A");
    assertThat(store.describe()).startsWith("local directory ");
    assertThat(store.totalSize("wf/node-1/dir")).isEqualTo(1);
    assertThat(store.size("wf/node-1/a.txt")).isEqualTo(1);
  }

  @Test
  void aMissingKeyIsNamed() {
    LocalDirectoryStore store = new LocalDirectoryStore(tmp.resolve("store"));
    assertThatThrownBy(() -> store.get("wf/nope.tgz", tmp.resolve("x")))
        .isInstanceOf(ArtifactNotFoundException.class)
        .hasMessageContaining("'wf/nope.tgz'")
        .hasMessageContaining("local directory");
  }

  @Test
  void aFailedPutLeavesNothingUnderTheKey() throws Exception {
    LocalDirectoryStore store = new LocalDirectoryStore(tmp.resolve("store"));
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    ArchivesTest.write(dir.resolve("a.txt"), "A");
    Files.createSymbolicLink(dir.resolve("z-link"), Path.of("../nowhere")); // refused half way
    assertThatThrownBy(() -> store.put(dir, "wf/out")).hasMessageContaining("symlink");
    assertThatThrownBy(() -> store.get("wf/out", tmp.resolve("x")))
        .isInstanceOf(ArtifactNotFoundException.class);
    try (var s = Files.list(store.root().resolve("wf"))) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void keysThatAreNotRelativePathsAreRefused() {
    LocalDirectoryStore store = new LocalDirectoryStore(tmp.resolve("store"));
    for (String bad : new String[] {"/abs", "a/../b", "..", "a//b", "a/", "", "a\\b", "./a"}) {
      assertThatThrownBy(() -> store.put(tmp, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("artifact key");
    }
  }
}

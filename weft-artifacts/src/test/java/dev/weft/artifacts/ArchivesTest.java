package dev.weft.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
  @TempDir Path tmp;

  @Test
  void aSingleFileTgzMadeByTarUnpacksToTheFileItself() throws Exception {
    Path file = write(tmp.resolve("src/hello-art.txt"), "hello world\n");
    Path tgz = tmp.resolve("hello-art.tgz");
    run(tmp.resolve("src"), "tar", "czf", tgz.toString(), "hello-art.txt");

    assertThat(Archives.detect(tgz)).isEqualTo(Archives.Format.TGZ);
    Path target = tmp.resolve("in/tmp/message");
    Archives.unpack(tgz, target);

    assertThat(target).isRegularFile().hasContent("hello world");
    assertThat(file).exists();
  }

  @Test
  void aDirectoryTgzMadeByTarUnpacksToTheDirectory() throws Exception {
    write(tmp.resolve("src/out/a.txt"), "A");
    write(tmp.resolve("src/out/sub/b.txt"), "B");
    Path tgz = tmp.resolve("out.tgz");
    run(tmp.resolve("src"), "tar", "czf", tgz.toString(), "out");

    Path target = tmp.resolve("dest");
    Archives.unpack(tgz, target);

    assertThat(target.resolve("a.txt")).hasContent("A");
    assertThat(target.resolve("sub/b.txt")).hasContent("B");
  }

  @Test
  void tgzNamesEntriesAsArgoDoes() throws Exception {
    write(tmp.resolve("src/out/a.txt"), "A");
    write(tmp.resolve("src/out/sub/b.txt"), "B");
    Path dirTgz = tmp.resolve("dir.tgz");
    Archives.tgz(tmp.resolve("src/out"), dirTgz);
    Path fileTgz = tmp.resolve("file.tgz");
    Archives.tgz(tmp.resolve("src/out/a.txt"), fileTgz);

    assertThat(lines(tmp, "tar", "tzf", dirTgz.toString()))
        .containsExactly("out/", "out/a.txt", "out/sub/", "out/sub/b.txt");
    assertThat(lines(tmp, "tar", "tzf", fileTgz.toString())).containsExactly("a.txt");
    Path extracted = Files.createDirectory(tmp.resolve("x"));
    run(extracted, "tar", "xzf", dirTgz.toString());
    assertThat(extracted.resolve("out/sub/b.txt")).hasContent("B");
  }

  @Test
  void aZipMadeByZipUnpacksAndOurZipIsReadByUnzip() throws Exception {
    write(tmp.resolve("src/out/a.txt"), "A");
    write(tmp.resolve("src/out/sub/b.txt"), "B");
    Path zip = tmp.resolve("out.zip");
    run(tmp.resolve("src"), "zip", "-qr", zip.toString(), "out");

    assertThat(Archives.detect(zip)).isEqualTo(Archives.Format.ZIP);
    Path target = tmp.resolve("dest");
    Archives.unpack(zip, target);
    assertThat(target.resolve("sub/b.txt")).hasContent("B");

    Path ours = tmp.resolve("ours.zip");
    Archives.zip(tmp.resolve("src/out"), ours);
    assertThat(lines(tmp, "unzip", "-Z1", ours.toString()))
        .containsExactlyInAnyOrder("out/a.txt", "out/sub/b.txt");
  }

  @Test
  void aPlainFileAndAGzipThatIsNotATarStayAsTheyAre() throws Exception {
    Path plain = write(tmp.resolve("plain.txt"), "just text");
    Path gz = tmp.resolve("data.gz");
    try (OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(gz))) {
      out.write("not a tar".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Archives.detect(plain)).isEqualTo(Archives.Format.PLAIN);
    assertThat(Archives.detect(gz)).isEqualTo(Archives.Format.PLAIN);

    Archives.unpack(plain, tmp.resolve("t/plain"));
    assertThat(tmp.resolve("t/plain")).hasContent("just text");
  }

  @Test
  void aDirectoryTarShapedLikeArgosGoWriterUnpacks() throws Exception {
    // Argo's tarDir: the directory itself first, entries named "<base>/<rel>", directories without
    // a trailing '/'.
    Path tgz =
        tgzWith(
            tar -> {
              dir(tar, "out");
              file(tar, "out/a.txt", "A");
              dir(tar, "out/sub");
              file(tar, "out/sub/b.txt", "B");
            });
    Path target = tmp.resolve("dest");
    Archives.unpack(tgz, target);
    assertThat(target.resolve("a.txt")).hasContent("A");
    assertThat(target.resolve("sub/b.txt")).hasContent("B");
  }

  @Test
  void zipEntriesEscapingTheTargetAreRefused() throws Exception {
    Path zip = tmp.resolve("slip.zip");
    try (var out =
        new org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream(
            Files.newOutputStream(zip))) {
      out.putArchiveEntry(
          new org.apache.commons.compress.archivers.zip.ZipArchiveEntry("../../slipped.txt"));
      out.write("x".getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
    }
    assertThat(Archives.detect(zip)).isEqualTo(Archives.Format.ZIP);
    assertThatThrownBy(() -> Archives.unpack(zip, tmp.resolve("t")))
        .hasMessageContaining("'../../slipped.txt'")
        .hasMessageContaining("..");
    assertThat(tmp.getParent().resolve("slipped.txt")).doesNotExist();
  }

  @Test
  void entriesEscapingTheTargetAreRefusedByName() throws Exception {
    assertRefused(tgzWith(tar -> file(tar, "../evil.txt", "x")), "'../evil.txt'", "..");
    assertRefused(tgzWith(tar -> file(tar, "/etc/evil.txt", "x")), "'/etc/evil.txt'", "absolute");
    assertRefused(tgzWith(tar -> symlink(tar, "d/link", "../../outside")), "'d/link'", "outside");
    assertRefused(tgzWith(tar -> symlink(tar, "link", "/etc/passwd")), "'link'", "absolute");
    assertRefused(
        tgzWith(
            tar -> {
              symlink(tar, "d/link", ".");
              file(tar, "d/link/x.txt", "x");
            }),
        "'d/link/x.txt'",
        "through a symlink");
    assertThat(Files.exists(tmp.resolve("evil.txt"))).isFalse();
  }

  @Test
  void unpackingStopsAtTheSizeAndEntryLimits() throws Exception {
    Path tgz =
        tgzWith(
            tar -> {
              file(tar, "d/a", "0123456789");
              file(tar, "d/b", "0123456789");
            });
    assertThatThrownBy(
            () ->
                Archives.unpack(
                    tgz, tmp.resolve("t1"), Archives.Format.TGZ, new Archives.UnpackLimits(15, 10)))
        .hasMessageContaining("more than 15 bytes")
        .hasMessageContaining("'d/b'");
    assertThatThrownBy(
            () ->
                Archives.unpack(
                    tgz, tmp.resolve("t2"), Archives.Format.TGZ, new Archives.UnpackLimits(100, 1)))
        .hasMessageContaining("more than 1 entries");
    assertThat(tmp.resolve("t1")).doesNotExist();
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("weft-unpack"));
    }
  }

  @Test
  void internalSymlinksSurviveARoundTrip() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/out"));
    write(src.resolve("data.txt"), "D");
    Files.createSymbolicLink(src.resolve("alias"), Path.of("data.txt"));
    Path tgz = tmp.resolve("out.tgz");
    Archives.tgz(src, tgz);
    Path target = tmp.resolve("dest");
    Archives.unpack(tgz, target);
    assertThat(Files.isSymbolicLink(target.resolve("alias"))).isTrue();
    assertThat(target.resolve("alias")).hasContent("D");
  }

  @Test
  void devicesFifosAndNamesGivenTwiceAreRefusedByName() throws Exception {
    assertRefused(
        tgzWith(tar -> special(tar, "dev/null", TarArchiveEntry.LF_CHR)),
        "'dev/null'",
        "is a device");
    assertRefused(
        tgzWith(tar -> special(tar, "disk", TarArchiveEntry.LF_BLK)), "'disk'", "is a device");
    assertRefused(
        tgzWith(tar -> special(tar, "pipe", TarArchiveEntry.LF_FIFO)), "'pipe'", "is a FIFO");
    assertRefused(
        tgzWith(
            tar -> {
              file(tar, "a.txt", "x");
              file(tar, "a.txt", "y");
            }),
        "'a.txt'",
        "given twice");
    assertRefused(
        tgzWith(
            tar -> {
              file(tar, "x", "file first");
              file(tar, "x/inner.txt", "then a directory");
            }),
        "'x/inner.txt'",
        "given twice, or as both a file and a directory");
  }

  private static void special(TarArchiveOutputStream tar, String name, byte kind)
      throws IOException {
    tar.putArchiveEntry(new TarArchiveEntry(name, kind));
    tar.closeArchiveEntry();
  }

  private void assertRefused(Path tgz, String entry, String why) {
    Path target = tmp.resolve("t-" + tgz.getFileName());
    assertThatThrownBy(() -> Archives.unpack(tgz, target))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(entry)
        .hasMessageContaining(why);
    assertThat(Files.exists(target, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  interface TarBody {
    void write(TarArchiveOutputStream tar) throws IOException;
  }

  private int counter;

  private Path tgzWith(TarBody body) throws IOException {
    Path tgz = tmp.resolve("crafted-" + (counter++) + ".tgz");
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(tgz)))) {
      body.write(tar);
    }
    return tgz;
  }

  private static void file(TarArchiveOutputStream tar, String name, String content)
      throws IOException {
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry e =
        new TarArchiveEntry(name, true); // preserve the leading '/' when there is one
    e.setSize(b.length);
    tar.putArchiveEntry(e);
    tar.write(b);
    tar.closeArchiveEntry();
  }

  private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void symlink(TarArchiveOutputStream tar, String name, String target)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    e.setLinkName(target);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  static Path write(Path p, String content) throws IOException {
    Files.createDirectories(p.getParent());
    return Files.writeString(p, content);
  }

  static void run(Path dir, String... cmd) throws Exception {
    lines(dir, cmd);
  }

  static List<String> lines(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out.lines().toList();
  }
}

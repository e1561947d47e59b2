package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The JDK's start-up archives hold only classes of version 50 or newer; picocli's and ASM's jars
 * are version 49, so the build puts rewritten copies into weft-cli's classes (weft-build-tools).
 */
class ArchivableClassesTest {
  private static int major(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      byte[] head = in.readNBytes(8);
      return ((head[6] & 0xff) << 8) | (head[7] & 0xff);
    }
  }

  @Test
  void picocliAndAsmAsWeftLoadsThemAreVersion61() throws IOException {
    assertThat(major(picocli.CommandLine.class)).isEqualTo(61);
    assertThat(major(org.objectweb.asm.ClassWriter.class)).isEqualTo(61);
    assertThat(major(org.objectweb.asm.tree.ClassNode.class)).isEqualTo(61);
    // they come from weft-cli's own classes, not from the dependencies' jars
    assertThat(picocli.CommandLine.class.getResource("CommandLine.class").getProtocol())
        .isEqualTo("file");
  }
}

package dev.weft.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

class ClassFileUpgradeTest {

  /** picocli's classes as its jar has them, by entry name. */
  private static Map<String, byte[]> picocli() throws IOException {
    JarURLConnection c =
        (JarURLConnection)
            ClassFileUpgradeTest.class
                .getClassLoader()
                .getResource("picocli/CommandLine.class")
                .openConnection();
    Map<String, byte[]> classes = new HashMap<>();
    try (JarFile jar = c.getJarFile()) {
      for (JarEntry e : Collections.list(jar.entries())) {
        if (!e.getName().endsWith(".class") || e.getName().contains("module-info")) continue;
        try (InputStream in = jar.getInputStream(e)) {
          classes.put(e.getName(), in.readAllBytes());
        }
      }
    }
    return classes;
  }

  /**
   * Loads only the given classes itself (the JDK's from the platform), so the JVM verifies them.
   */
  private static final class Isolated extends ClassLoader {
    private final Map<String, byte[]> classes;

    Isolated(Map<String, byte[]> classes) {
      super(ClassLoader.getPlatformClassLoader());
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = classes.get(name.replace('.', '/') + ".class");
      if (b == null) throw new ClassNotFoundException(name);
      return defineClass(name, b, 0, b.length);
    }
  }

  @Test
  void picocliIsVersion49AndBecomesAVerifiableVersion61() throws Exception {
    Map<String, byte[]> old = picocli();
    assertThat(old).hasSizeGreaterThan(100);
    assertThat(old.values()).allSatisfy(b -> assertThat(ClassFileUpgrade.tooOld(b)).isTrue());

    Map<String, byte[]> upgraded = new HashMap<>();
    old.forEach(
        (name, b) -> upgraded.put(name, ClassFileUpgrade.upgrade(b, t -> old.get(t + ".class"))));
    assertThat(upgraded.values())
        .allSatisfy(b -> assertThat(ClassFileUpgrade.major(b)).isEqualTo(ClassFileUpgrade.TARGET));

    // Every class loads, links and initialises under the JVM's split verifier (a missing or wrong
    // stack map frame is a VerifyError here) ...
    Isolated loader = new Isolated(upgraded);
    for (String name : upgraded.keySet()) {
      Class<?> c = Class.forName(name.replace('/', '.').replace(".class", ""), true, loader);
      assertThat(c.getClassLoader()).isSameAs(loader);
    }
    // ... and the rewritten picocli parses a command line: a command with one option, built
    // through its programmatic API.
    Class<?> specClass = loader.loadClass("picocli.CommandLine$Model$CommandSpec");
    Class<?> optionClass = loader.loadClass("picocli.CommandLine$Model$OptionSpec");
    Class<?> argClass = loader.loadClass("picocli.CommandLine$Model$ArgSpec");
    Object spec = specClass.getMethod("create").invoke(null);
    Object builder =
        optionClass
            .getMethod("builder", String[].class)
            .invoke(null, (Object) new String[] {"--name"});
    Method arity = builder.getClass().getMethod("arity", String.class);
    arity.setAccessible(true);
    arity.invoke(builder, "1");
    Method build = builder.getClass().getMethod("build");
    build.setAccessible(true);
    Object option = build.invoke(builder);
    specClass.getMethod("addOption", optionClass).invoke(spec, option);
    Class<?> cli = loader.loadClass("picocli.CommandLine");
    Object commandLine = cli.getConstructor(Object.class).newInstance(spec);
    cli.getMethod("parseArgs", String[].class)
        .invoke(commandLine, (Object) new String[] {"--name", "weft"});
    Object parsed = specClass.getMethod("findOption", String.class).invoke(spec, "--name");
    assertThat(argClass.getMethod("getValue").invoke(parsed)).isEqualTo("weft");
  }

  @Test
  void aVersion49ClassIsTooOldAndANewerOneIsNot() throws IOException {
    byte[] old = picocli().get("picocli/CommandLine.class");
    assertThat(ClassFileUpgrade.major(old)).isEqualTo(49);
    assertThat(ClassFileUpgrade.tooOld(ClassFileUpgrade.upgrade(old, t -> null))).isFalse();
    assertThatThrownBy(() -> ClassFileUpgrade.major(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

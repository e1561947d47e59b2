package dev.weft.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.annotation.processing.SupportedOptions;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.StandardLocation;

/**
 * A build step that javac runs while it compiles weft-cli (named with {@code -processor}; it
 * processes no annotations): it copies every class of the jars that hold the classes named in the
 * {@code weft.upgradeClassFiles} option (comma-separated, e.g. {@code picocli.CommandLine}) into
 * the compiled classes, those older than version 50 rewritten by {@link ClassFileUpgrade}. The
 * shaded jar then takes these classes instead of the jars' own (weft-cli's pom leaves the originals
 * out), and the JDK's start-up archives can hold them. Maven's offline build here has no plugin
 * that runs code at package time, which is why this rides on javac.
 */
@SupportedAnnotationTypes("*")
@SupportedOptions(UpgradeOldClassFiles.OPTION)
public final class UpgradeOldClassFiles extends AbstractProcessor {
  static final String OPTION = "weft.upgradeClassFiles";
  private boolean done;

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (done) return false;
    done = true;
    String option = processingEnv.getOptions().get(OPTION);
    if (option == null || option.isBlank()) {
      processingEnv
          .getMessager()
          .printMessage(Diagnostic.Kind.ERROR, "-A" + OPTION + " is not set");
      return false;
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    for (String marker : option.split(",")) classes.putAll(jarClasses(marker.trim()));
    int upgraded = 0;
    for (Map.Entry<String, byte[]> e : classes.entrySet()) {
      byte[] bytes = e.getValue();
      if (ClassFileUpgrade.tooOld(bytes)) {
        bytes = ClassFileUpgrade.upgrade(bytes, type -> classes.get(type + ".class"));
        upgraded++;
      }
      try (OutputStream out =
          processingEnv
              .getFiler()
              .createResource(StandardLocation.CLASS_OUTPUT, "", e.getKey())
              .openOutputStream()) {
        out.write(bytes);
      } catch (IOException x) {
        throw new UncheckedIOException("cannot write " + e.getKey(), x);
      }
    }
    processingEnv
        .getMessager()
        .printMessage(
            Diagnostic.Kind.NOTE,
            "weft-build-tools: "
                + classes.size()
                + " classes copied from the jars of "
                + option
                + ", "
                + upgraded
                + " of them rewritten as class file version "
                + ClassFileUpgrade.TARGET);
    return false;
  }

  /** The classes of the jar that holds {@code className}, by entry name. */
  private Map<String, byte[]> jarClasses(String className) {
    String resource = className.replace('.', '/') + ".class";
    URL url = UpgradeOldClassFiles.class.getClassLoader().getResource(resource);
    if (url == null)
      throw new IllegalStateException(
          OPTION + ": " + className + " is not on the compile class path");
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try {
      if (!(url.openConnection() instanceof JarURLConnection jar))
        throw new IllegalStateException(OPTION + ": " + className + " is not in a jar: " + url);
      jar.setUseCaches(false);
      try (JarFile file = jar.getJarFile()) {
        for (JarEntry entry : java.util.Collections.list(file.entries())) {
          String name = entry.getName();
          if (!name.endsWith(".class")
              || name.startsWith("META-INF/")
              || name.endsWith("module-info.class")) continue;
          try (InputStream in = file.getInputStream(entry)) {
            classes.put(name, in.readAllBytes());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the jar of " + className, e);
    }
    return classes;
  }
}

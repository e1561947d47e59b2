package dev.weft.runtime.internal.compile;

import static org.assertj.core.api.Assertions.assertThat;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.weft.runtime.Engine;
import dev.weft.runtime.Examples;
import dev.weft.runtime.LoadedModule;
import dev.weft.runtime.ModuleSource;
import dev.weft.runtime.TaskResult;
import dev.weft.runtime.TaskSpec;
import dev.weft.runtime.WeftRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * weft's rewrite of the interruption checks in Chicory-compiled code: every check of a generated
 * function becomes a poll of the memory's stop flag, back-edge checks move to their loop's head,
 * and the code computes what Chicory's does.
 */
class InterruptPollsTest {

  @Test
  void everyCheckOfTheComputeKernelsBecomesAPollAndLoopChecksMoveToTheLoopHeads()
      throws IOException {
    byte[] jar = chicorysJar(Parser.parse(Files.readAllBytes(Examples.module("compute"))));
    assertThat(calls(jar, "checkInterruption", "()V")).isPositive();

    int polls = 0, moved = 0;
    for (byte[] c : classes(jar).values()) {
      InterruptPolls.Rewrite r = InterruptPolls.rewriteClass(c);
      polls += r.polls();
      moved += r.movedToLoopHeads();
    }
    assertThat(polls).isEqualTo(calls(jar, "checkInterruption", "()V"));
    assertThat(moved).isPositive().isLessThan(polls); // calls keep their check in place

    byte[] rewritten = InterruptPolls.rewriteJar(jar);
    assertThat(calls(rewritten, "checkInterruption", "()V")).isZero();
    // one poll per call site, one per loop (several back-edges of a loop share its head's)
    int pollCalls =
        calls(rewritten, "checkInterruption", "(Lcom/dylibso/chicory/runtime/Memory;)V");
    assertThat(pollCalls).isPositive().isLessThanOrEqualTo(polls);
    assertThat(pollCalls).isGreaterThanOrEqualTo(polls - moved);
  }

  @Test
  void aModuleWithoutLoopsOrCallsIsLeftAsChicoryCompiledIt() {
    // (module (func (export "_start"))): nothing to rewrite
    byte[] module = {
      0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6, '_', 's', 't',
      'a', 'r', 't', 0, 0, 10, 4, 1, 2, 0, 0x0b
    };
    assertThat(InterruptPolls.rewriteJar(chicorysJar(Parser.parse(module)))).isNull();
  }

  @Test
  void rewrittenKernelsComputeWhatTheInterpreterComputes() {
    WeftRuntime compiled = WeftRuntime.create();
    WeftRuntime interpreted = WeftRuntime.builder().engine(Engine.INTERPRETER).build();
    LoadedModule c = compiled.load(ModuleSource.file(Examples.module("compute")));
    LoadedModule i = interpreted.load(ModuleSource.file(Examples.module("compute")));
    assertThat(c.engine()).isEqualTo(Engine.COMPILER);
    for (List<String> args :
        List.of(
            List.of("fib", "20", "2"),
            List.of("desaturate", "64", "2"),
            List.of("sha256", "5000", "2"))) {
      TaskSpec spec = TaskSpec.builder().args(args).build();
      assertThat(checksum(compiled.run(c, spec)))
          .as("%s", args)
          .isEqualTo(checksum(interpreted.run(i, spec)));
    }
  }

  private static String checksum(TaskResult r) {
    assertThat(r.succeeded()).as(r.message()).isTrue();
    return r.stdoutTail().lines().filter(l -> l.startsWith("checksum ")).findFirst().orElseThrow();
  }

  /** The JAR Chicory's compiler hands its cache for {@code module}. */
  private static byte[] chicorysJar(WasmModule module) {
    byte[][] jar = new byte[1][];
    MachineFactoryCompiler.builder(module)
        .withCache(
            new Cache() {
              @Override
              public byte[] get(String key) {
                return null;
              }

              @Override
              public void putIfAbsent(String key, byte[] data) {
                jar[0] = data;
              }
            })
        .compile();
    assertThat(jar[0]).isNotNull();
    return jar[0];
  }

  private static Map<String, byte[]> classes(byte[] jar) throws IOException {
    Map<String, byte[]> out = new HashMap<>();
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      JarEntry e;
      while ((e = in.getNextJarEntry()) != null) {
        if (e.getName().endsWith(".class")) out.put(e.getName(), in.readAllBytes());
      }
    }
    return out;
  }

  /** Calls named {@code name} with descriptor {@code desc} in the generated functions. */
  private static int calls(byte[] jar, String name, String desc) throws IOException {
    int n = 0;
    for (byte[] c : classes(jar).values()) {
      ClassNode cn = new ClassNode();
      new ClassReader(c).accept(cn, 0);
      for (MethodNode m : cn.methods) {
        if (!m.name.startsWith("func_")) continue;
        List<AbstractInsnNode> insns = new ArrayList<>(List.of(m.instructions.toArray()));
        for (AbstractInsnNode i : insns) {
          if (i instanceof MethodInsnNode mi && mi.name.equals(name) && mi.desc.equals(desc)) n++;
        }
      }
    }
    return n;
  }
}

package dev.weft.runtime.internal.compile;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.zip.Deflater;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the interruption check in the classes Chicory's compiler generates with weft's cheaper
 * one, {@link FlatMemory#checkInterruption}.
 *
 * <p>Chicory's compiled functions call {@code checkInterruption()} before every call and every
 * backward branch; it reads {@code Thread.currentThread().isInterrupted()}, a volatile field. To
 * the JIT a volatile read is a barrier, so in any loop that contains one, the linear memory's array
 * and length are reloaded every iteration and no bounds check can be hoisted; and because the check
 * sits between the loop's exit test and its back-edge, the loop is not recognised as a counted one
 * (no range-check elimination, no unrolling). Measured on the compute suite (docs/benchmarks.md
 * §3.2), this is most of what separates a memory-bound loop from native speed.
 *
 * <p>The rewrite, per generated function ({@code func_N}, whose last two parameters are the memory
 * and the instance):
 *
 * <ul>
 *   <li>a check right before a backward {@code goto} (a loop's back-edge) moves to the loop's head,
 *       once per loop, so the exit test is the last thing before the back-edge again;
 *   <li>every check becomes {@code FlatMemory.checkInterruption(memory)}: a plain read of the
 *       memory's stop flag, which {@link dev.weft.runtime.internal.run.Deadline} sets when the
 *       deadline passes or the task's thread is interrupted.
 * </ul>
 *
 * Each loop iteration and each call still polls exactly once, so an endless loop still stops. The
 * rewrite hooks into Chicory's public {@link Cache} interface, which receives the compiled classes
 * as a JAR: on a cache miss the module is compiled, the JAR rewritten, and the rewritten classes
 * are loaded (Chicory loads a cache hit without compiling). If the generated code does not have the
 * expected shape, or the rewritten classes fail to load, weft keeps Chicory's classes unchanged.
 *
 * <p>{@code -Dweft.interruptCheck=thread} turns the rewrite off (Chicory's own check), for
 * comparisons.
 */
public final class InterruptPolls {
  private static final Logger LOG = LoggerFactory.getLogger(InterruptPolls.class);

  /**
   * Appended to cache keys of rewritten code, so a persistent cache never mixes rewritten and
   * original classes, and a new rewrite invalidates the old entries.
   */
  static final String KEY_SUFFIX = ";weft-interrupt-poll-1";

  private static final String MEMORY = "Lcom/dylibso/chicory/runtime/Memory;";
  private static final String INSTANCE = "Lcom/dylibso/chicory/runtime/Instance;";
  private static final String POLL_OWNER = Type.getInternalName(FlatMemory.class);
  private static final String POLL_DESC = "(" + MEMORY + ")V";

  private static final boolean VISIBLE = visibleToGeneratedCode();

  private InterruptPolls() {}

  /**
   * Whether compiled code gets weft's check: yes unless {@code -Dweft.interruptCheck=thread}, or
   * unless generated code could not see {@link FlatMemory}.
   */
  public static boolean enabled() {
    String v = System.getProperty("weft.interruptCheck", "memory").trim();
    return !v.equalsIgnoreCase("thread") && VISIBLE;
  }

  /** The key under which weft's persistent cache keeps the code Chicory asks for by {@code key}. */
  public static String cacheKey(String key) {
    return enabled() ? key + KEY_SUFFIX : key;
  }

  /**
   * Chicory defines generated classes in a loader whose parent is its own; the rewritten calls
   * resolve {@link FlatMemory} from there, so weft and Chicory must share a class loader.
   */
  private static boolean visibleToGeneratedCode() {
    try {
      return Class.forName(
              FlatMemory.class.getName(), false, MachineFactoryCompiler.class.getClassLoader())
          == FlatMemory.class;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Compiles with {@code builder} (which must not have a cache set), rewriting the generated
   * classes; {@code persistent} keeps the rewritten JAR across processes.
   */
  public static Function<Instance, Machine> compile(
      MachineFactoryCompiler.Builder builder, Optional<Cache> persistent, String moduleName) {
    Capture capture = new Capture(persistent);
    builder.withCache(capture);
    Function<Instance, Machine> original = builder.compile();
    if (capture.rewritten == null) return original; // a cache hit, or nothing to rewrite
    try {
      return builder.compile(); // loads the rewritten JAR through Capture.get
    } catch (RuntimeException | LinkageError e) {
      LOG.warn(
          "module '{}': weft's interruption check could not be applied ({}); using Chicory's",
          moduleName,
          e.toString());
      return original;
    }
  }

  /**
   * The cache Chicory sees: a miss is compiled by Chicory, which then hands the JAR to {@link
   * #putIfAbsent}; the rewritten JAR is what the next {@link #get} returns.
   */
  private static final class Capture implements Cache {
    private final Optional<Cache> persistent;
    private byte[] rewritten;

    Capture(Optional<Cache> persistent) {
      this.persistent = persistent;
    }

    @Override
    public byte[] get(String key) throws IOException {
      if (rewritten != null) return rewritten;
      return persistent.isPresent() ? persistent.get().get(key + KEY_SUFFIX) : null;
    }

    @Override
    public void putIfAbsent(String key, byte[] data) throws IOException {
      byte[] r = null;
      try {
        r = rewriteJar(data);
      } catch (RuntimeException e) {
        LOG.warn("weft's interruption check could not be applied: {}", e.toString());
      }
      rewritten = r;
      if (persistent.isPresent())
        persistent.get().putIfAbsent(key + KEY_SUFFIX, r != null ? r : data);
    }
  }

  /** The JAR with every class rewritten, or null if no check was found. */
  static byte[] rewriteJar(byte[] jar) {
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(jar.length + 1024);
      int polls = 0;
      try (JarOutputStream out = new JarOutputStream(bytes)) {
        out.setLevel(Deflater.BEST_SPEED); // compressing is most of the rewrite's time otherwise
        JarEntry e;
        while ((e = in.getNextJarEntry()) != null) {
          byte[] data = in.readAllBytes();
          if (e.getName().endsWith(".class")) {
            Rewrite r = rewriteClass(data);
            polls += r.polls();
            data = r.bytes();
          }
          out.putNextEntry(new JarEntry(e.getName()));
          out.write(data);
          out.closeEntry();
        }
      }
      return polls == 0 ? null : bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param polls checks replaced
   * @param movedToLoopHeads of those, back-edge checks that now sit at their loop's head
   */
  record Rewrite(byte[] bytes, int polls, int movedToLoopHeads) {}

  static Rewrite rewriteClass(byte[] bytes) {
    ClassNode cn = new ClassNode();
    new ClassReader(bytes).accept(cn, 0);
    int polls = 0, moved = 0;
    for (MethodNode mn : cn.methods) {
      int memorySlot = memorySlot(mn);
      if (memorySlot < 0) continue;
      AbstractInsnNode[] code = mn.instructions.toArray();
      Map<AbstractInsnNode, Integer> position = new HashMap<>();
      for (int i = 0; i < code.length; i++) {
        if (code[i] instanceof LabelNode || code[i] instanceof JumpInsnNode)
          position.put(code[i], i);
      }
      Set<LabelNode> heads = new HashSet<>();
      int before = polls;
      for (AbstractInsnNode insn : code) {
        if (!isChicoryCheck(insn)) continue;
        polls++;
        AbstractInsnNode next = nextReal(insn);
        if (next instanceof JumpInsnNode j
            && j.getOpcode() == Opcodes.GOTO
            && position.get(j.label) < position.get(j)) {
          mn.instructions.remove(insn);
          if (heads.add(j.label)) mn.instructions.insert(lastNonReal(j.label), poll(memorySlot));
          moved++;
        } else {
          mn.instructions.insert(insn, poll(memorySlot));
          mn.instructions.remove(insn);
        }
      }
      if (polls > before) mn.maxStack += 1;
    }
    if (polls == 0) return new Rewrite(bytes, 0, 0);
    ClassWriter cw = new ClassWriter(0); // stack-neutral edits: the existing frames stay valid
    cn.accept(cw);
    return new Rewrite(cw.toByteArray(), polls, moved);
  }

  /** The local slot of a generated function's memory parameter, or -1 if not one. */
  private static int memorySlot(MethodNode mn) {
    if ((mn.access & Opcodes.ACC_STATIC) == 0 || !mn.name.startsWith("func_")) return -1;
    Type[] args = Type.getArgumentTypes(mn.desc);
    int n = args.length;
    if (n < 2
        || !args[n - 2].getDescriptor().equals(MEMORY)
        || !args[n - 1].getDescriptor().equals(INSTANCE)) return -1;
    int slot = 0;
    for (int i = 0; i < n - 2; i++) slot += args[i].getSize();
    return slot;
  }

  private static boolean isChicoryCheck(AbstractInsnNode insn) {
    return insn instanceof MethodInsnNode m
        && m.getOpcode() == Opcodes.INVOKESTATIC
        && m.name.equals("checkInterruption")
        && m.desc.equals("()V")
        && m.owner.endsWith("Shaded");
  }

  private static InsnList poll(int memorySlot) {
    InsnList il = new InsnList();
    il.add(new VarInsnNode(Opcodes.ALOAD, memorySlot));
    il.add(new MethodInsnNode(Opcodes.INVOKESTATIC, POLL_OWNER, "checkInterruption", POLL_DESC));
    return il;
  }

  private static AbstractInsnNode nextReal(AbstractInsnNode n) {
    AbstractInsnNode x = n.getNext();
    while (x != null && x.getOpcode() < 0) x = x.getNext();
    return x;
  }

  /** The last label, line or frame node from {@code n} on, before the next instruction. */
  private static AbstractInsnNode lastNonReal(AbstractInsnNode n) {
    while (n.getNext() != null && n.getNext().getOpcode() < 0) n = n.getNext();
    return n;
  }
}

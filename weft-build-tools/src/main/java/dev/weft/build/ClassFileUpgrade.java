package dev.weft.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a class file of version 49 (Java 5) or older as version 61 (Java 17), with the stack map
 * frames that version requires. The JDK's class-data sharing (AppCDS, the JDK 25 AOT cache) leaves
 * out classes older than version 50, which must go through the old type-inferring verifier: such a
 * class is read, parsed and verified from the jar at every start. Nothing else changes: the same
 * members, the same bytecode.
 */
public final class ClassFileUpgrade {
  /** The version written: Java 17's, weft's release. */
  public static final int TARGET = Opcodes.V17;

  /** The first version that the JDK's start-up archives hold (the split verifier's). */
  static final int OLDEST_ARCHIVED = 50;

  private ClassFileUpgrade() {}

  /** The major version of a class file. */
  public static int major(byte[] classFile) {
    if (classFile.length < 8
        || (classFile[0] & 0xff) != 0xca
        || (classFile[1] & 0xff) != 0xfe
        || (classFile[2] & 0xff) != 0xba
        || (classFile[3] & 0xff) != 0xbe) throw new IllegalArgumentException("not a class file");
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  /** Whether the JDK's start-up archives leave this class out for its version. */
  public static boolean tooOld(byte[] classFile) {
    return major(classFile) < OLDEST_ARCHIVED;
  }

  /**
   * The class as version {@link #TARGET} with computed frames.
   *
   * @param types the class files of the types the class refers to that are not the running JDK's
   *     (its own library's), by internal name, or null when unknown; frames need their supertypes
   */
  public static byte[] upgrade(byte[] classFile, Function<String, byte[]> types) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new Hierarchy(types);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            super.visit(TARGET, access, name, signature, superName, interfaces);
          }
        },
        ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }

  /**
   * Frames need the common supertype of two types: from the library's class files, else the JDK.
   */
  private static final class Hierarchy extends ClassWriter {
    private final Function<String, byte[]> types;

    Hierarchy(Function<String, byte[]> types) {
      super(ClassWriter.COMPUTE_FRAMES);
      this.types = types;
    }

    private record Type(String superName, List<String> interfaces, boolean isInterface) {}

    private Type type(String name) {
      byte[] bytes = types.apply(name);
      if (bytes != null) {
        ClassReader r = new ClassReader(bytes);
        return new Type(
            r.getSuperName(),
            List.of(r.getInterfaces()),
            (r.getAccess() & Opcodes.ACC_INTERFACE) != 0);
      }
      try {
        Class<?> c =
            Class.forName(name.replace('/', '.'), false, ClassFileUpgrade.class.getClassLoader());
        List<String> itfs = new ArrayList<>();
        for (Class<?> i : c.getInterfaces()) itfs.add(i.getName().replace('.', '/'));
        return new Type(
            c.getSuperclass() == null ? null : c.getSuperclass().getName().replace('.', '/'),
            itfs,
            c.isInterface());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(
            "cannot compute stack map frames: type " + name + " is not known", e);
      }
    }

    /** Whether a value of type {@code from} can be assigned to {@code to}. */
    private boolean assignable(String to, String from) {
      if (to.equals(from) || to.equals("java/lang/Object")) return true;
      Type t = type(from);
      if (t.superName() != null && assignable(to, t.superName())) return true;
      for (String i : t.interfaces()) if (assignable(to, i)) return true;
      return false;
    }

    @Override
    protected String getCommonSuperClass(String type1, String type2) {
      if (assignable(type1, type2)) return type1;
      if (assignable(type2, type1)) return type2;
      if (type(type1).isInterface() || type(type2).isInterface()) return "java/lang/Object";
      String t = type1;
      do {
        t = type(t).superName();
      } while (!assignable(t, type2));
      return t;
    }
  }
}

package dev.weft.runtime.internal.compile;

import dev.weft.runtime.LimitExceededException;
import dev.weft.runtime.ModuleFormatException;
import dev.weft.runtime.ModuleLimits;

/**
 * Walks a module's bytes before the parser sees them, refusing what the parser would allocate for
 * without checking: a section or vector longer than the bytes left, and anything over a {@link
 * ModuleLimits} bound (counts, body sizes, locals, block nesting, br_table targets, table sizes).
 * It decodes instructions only to follow nesting and br_table; an opcode it does not know ends its
 * walk of that function, and the parser's own checks take over.
 */
final class ModuleScanner {
  private final byte[] b;
  private final String name;
  private final ModuleLimits limits;
  private int pos;

  private ModuleScanner(byte[] bytes, String name, ModuleLimits limits) {
    this.b = bytes;
    this.name = name;
    this.limits = limits;
  }

  /**
   * @throws LimitExceededException naming the limit; ModuleFormatException for lengths that lie
   */
  static void scan(byte[] bytes, String name, ModuleLimits limits) {
    new ModuleScanner(bytes, name, limits).module();
  }

  private void module() {
    pos = 8; // magic and version, checked before
    while (pos < b.length) {
      int id = b[pos++] & 0xff;
      long size = u32("the length of section " + id);
      int end = bounded(size, "section " + id);
      switch (id) {
        case 1 -> count(end, limits.maxTypes(), "maxTypes", "types");
        case 2 -> count(end, limits.maxImports(), "maxImports", "imports");
        case 3 -> count(end, limits.maxFunctions(), "maxFunctions", "functions");
        case 4 -> tables(end);
        case 6 -> count(end, limits.maxGlobals(), "maxGlobals", "globals");
        case 7 -> count(end, limits.maxExports(), "maxExports", "exports");
        case 9 -> count(end, limits.maxElementSegments(), "maxElementSegments", "element segments");
        case 10 -> code(end);
        case 11 -> count(end, limits.maxDataSegments(), "maxDataSegments", "data segments");
        default -> {}
      }
      pos = end;
    }
  }

  private int count(int end, long max, String limit, String what) {
    long n = u32("the number of " + what);
    if (n > max) throw over(limit, max, n, "declares " + n + " " + what);
    if (n > end - pos) throw lie("declares " + n + " " + what + " in " + (end - pos) + " bytes");
    return (int) n;
  }

  private void tables(int end) {
    int n = count(end, Integer.MAX_VALUE, "tables", "tables");
    for (int i = 0; i < n && pos < end; i++) {
      int type = b[pos++] & 0xff;
      if (type == 0x40) return; // a table with an initializer: the parser checks it
      if (type == 0x63 || type == 0x64) leb("a heap type", 33);
      int flags = b[pos++] & 0xff;
      long min = flags >= 4 ? leb("a table size", 64) : u32("a table size");
      if (min > limits.maxTableElements()) {
        throw over(
            "maxTableElements",
            limits.maxTableElements(),
            min,
            "declares a table of " + min + " elements");
      }
      if ((flags & 1) != 0) leb("a table maximum", 64);
    }
  }

  private void code(int end) {
    int n = count(end, limits.maxFunctions(), "maxFunctions", "function bodies");
    for (int f = 0; f < n; f++) {
      long size = u32("the size of function body " + f);
      if (size > limits.maxFunctionBodyBytes()) {
        throw over(
            "maxFunctionBodyBytes",
            limits.maxFunctionBodyBytes(),
            size,
            "function body " + f + " is " + size + " bytes");
      }
      int bodyEnd = bounded(size, "function body " + f);
      if (bodyEnd > end) throw lie("function body " + f + " runs past the end of the code section");
      long locals = 0;
      long groups = u32("local groups");
      if (groups > bodyEnd - pos)
        throw lie(
            "function body "
                + f
                + " declares "
                + groups
                + " local groups in "
                + (bodyEnd - pos)
                + " bytes");
      for (long g = 0; g < groups; g++) {
        locals += u32("a local count");
        if (locals > limits.maxLocals())
          throw over(
              "maxLocals",
              limits.maxLocals(),
              locals,
              "function body " + f + " declares " + locals + " locals");
        valType();
      }
      new Instructions(f, bodyEnd).walk();
      pos = bodyEnd;
    }
  }

  /** The instruction walk of one body: nesting depth and br_table sizes. */
  private final class Instructions {
    private final int function;
    private final int end;

    Instructions(int function, int end) {
      this.function = function;
      this.end = end;
    }

    void walk() {
      int depth = 0;
      while (pos < end) {
        int op = b[pos++] & 0xff;
        switch (op) {
          case 0x02, 0x03, 0x04, 0x06 -> {
            leb("a block type", 33);
            if (++depth > limits.maxNestingDepth()) {
              throw over(
                  "maxNestingDepth",
                  limits.maxNestingDepth(),
                  depth,
                  "function " + function + " nests blocks " + depth + " deep");
            }
          }
          case 0x0b -> depth--;
          case 0x07,
              0x08,
              0x09,
              0x0c,
              0x0d,
              0x10,
              0x12,
              0x14,
              0x15,
              0x18,
              0x20,
              0x21,
              0x22,
              0x23,
              0x24,
              0x25,
              0x26,
              0x3f,
              0x40,
              0xd2,
              0xd5,
              0xd6 ->
              leb("an index", 32);
          case 0x0e -> brTable();
          case 0x11, 0x13 -> {
            leb("a type index", 32);
            leb("a table index", 32);
          }
          case 0x1c -> {
            long k = u32("a select arity");
            for (long i = 0; i < k && pos < end; i++) valType();
          }
          case 0x41 -> leb("an i32 constant", 32);
          case 0x42 -> leb("an i64 constant", 64);
          case 0x43 -> pos += 4;
          case 0x44 -> pos += 8;
          case 0xd0 -> leb("a heap type", 33);
          case 0xfc -> {
            if (!misc()) return;
          }
          case 0xfd -> {
            if (!simd()) return;
          }
          default -> {
            if (op >= 0x28 && op <= 0x3e) {
              memarg();
            } else if (!(op <= 0x01
                || op == 0x05
                || op == 0x0a
                || op == 0x0f
                || op == 0x19
                || op == 0x1a
                || op == 0x1b
                || (op >= 0x45 && op <= 0xc4)
                || op == 0xd1
                || op == 0xd3
                || op == 0xd4)) {
              return; // not known here: the parser decides
            }
          }
        }
      }
    }

    private void brTable() {
      long targets = u32("the br_table size");
      if (targets > limits.maxBrTableTargets()) {
        throw over(
            "maxBrTableTargets",
            limits.maxBrTableTargets(),
            targets,
            "function " + function + " has a br_table of " + targets + " targets");
      }
      if (targets > end - pos)
        throw lie(
            "function "
                + function
                + " has a br_table of "
                + targets
                + " targets in "
                + (end - pos)
                + " bytes");
      for (long i = 0; i <= targets; i++) leb("a br_table target", 32);
    }

    private boolean misc() {
      long sub = u32("a 0xfc opcode");
      if (sub <= 7) return true;
      switch ((int) Math.min(sub, 99)) {
        case 8, 10, 12, 14 -> {
          leb("an index", 32);
          leb("an index", 32);
        }
        case 9, 11, 13, 15, 16, 17 -> leb("an index", 32);
        default -> {
          return false;
        }
      }
      return true;
    }

    private boolean simd() {
      long sub = u32("a 0xfd opcode");
      if (sub <= 11 || sub == 92 || sub == 93) {
        memarg();
      } else if (sub == 12 || sub == 13) {
        pos += 16;
      } else if (sub >= 21 && sub <= 34) {
        pos += 1;
      } else if (sub >= 84 && sub <= 91) {
        memarg();
        pos += 1;
      } else if (sub > 0x113) {
        return false;
      }
      return true;
    }

    private void memarg() {
      long align = u32("an alignment");
      if ((align & 0x40) != 0) leb("a memory index", 32);
      leb("an offset", 64);
    }
  }

  private void valType() {
    if (pos >= b.length) throw lie("ends inside a value type");
    int t = b[pos++] & 0xff;
    if (t == 0x63 || t == 0x64) leb("a heap type", 33);
  }

  private int bounded(long size, String what) {
    if (size > b.length - pos) {
      throw lie(
          what
              + " declares "
              + size
              + " bytes but only "
              + (b.length - pos)
              + " are left in the module");
    }
    return pos + (int) size;
  }

  private long u32(String what) {
    return leb(what, 32) & 0xffffffffL;
  }

  /** An LEB128 number of at most {@code bits} bits; its sign is not needed for any check here. */
  private long leb(String what, int bits) {
    long result = 0;
    int shift = 0;
    int max = (bits + 6) / 7;
    for (int i = 0; i < max; i++) {
      if (pos >= b.length) throw lie("ends inside " + what);
      int x = b[pos++] & 0xff;
      result |= (long) (x & 0x7f) << shift;
      if ((x & 0x80) == 0) return result;
      shift += 7;
    }
    throw lie(what + " is not a valid LEB128 number");
  }

  private LimitExceededException over(String limit, long max, long seen, String what) {
    return new LimitExceededException(
        "module." + limit,
        max,
        seen,
        "module '" + name + "' " + what + ", over the limit of " + max + " (module." + limit + ")");
  }

  private ModuleFormatException lie(String what) {
    return new ModuleFormatException(
        "'" + name + "' is not a valid WebAssembly module: " + what + " (at byte " + pos + ")");
  }
}

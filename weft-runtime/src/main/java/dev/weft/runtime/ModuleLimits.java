package dev.weft.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounds on a module's structure, checked on its bytes before the parser allocates anything for
 * them: a module over one is refused with a {@link LimitExceededException} naming it. The defaults
 * admit real programs (a large Rust or C module has a few thousand types and tens of thousands of
 * functions) and keep parsing and compiling within a few hundred MiB and seconds.
 *
 * @param maxTypes entries in the type section
 * @param maxFunctions functions defined by the module
 * @param maxImports imports
 * @param maxExports exports
 * @param maxGlobals globals
 * @param maxDataSegments data segments
 * @param maxElementSegments element segments
 * @param maxTableElements the initial size of one table
 * @param maxFunctionBodyBytes the size of one function body
 * @param maxLocals locals declared by one function
 * @param maxNestingDepth blocks, loops, ifs and trys nested in one function
 * @param maxBrTableTargets targets of one br_table
 */
public record ModuleLimits(
    int maxTypes,
    int maxFunctions,
    int maxImports,
    int maxExports,
    int maxGlobals,
    int maxDataSegments,
    int maxElementSegments,
    long maxTableElements,
    int maxFunctionBodyBytes,
    int maxLocals,
    int maxNestingDepth,
    int maxBrTableTargets) {

  public ModuleLimits {
    // one table of the bounds by name, so a bad one is named (this record's fields are not set yet)
    Map<String, Long> bounds = new LinkedHashMap<>();
    bounds.put("maxTypes", (long) maxTypes);
    bounds.put("maxFunctions", (long) maxFunctions);
    bounds.put("maxImports", (long) maxImports);
    bounds.put("maxExports", (long) maxExports);
    bounds.put("maxGlobals", (long) maxGlobals);
    bounds.put("maxDataSegments", (long) maxDataSegments);
    bounds.put("maxElementSegments", (long) maxElementSegments);
    bounds.put("maxTableElements", (long) maxTableElements);
    bounds.put("maxFunctionBodyBytes", (long) maxFunctionBodyBytes);
    bounds.put("maxLocals", (long) maxLocals);
    bounds.put("maxNestingDepth", (long) maxNestingDepth);
    bounds.put("maxBrTableTargets", (long) maxBrTableTargets);
    bounds.forEach(
        (name, v) -> {
          if (v < 1)
            throw new IllegalArgumentException(
                "module limits must be positive: " + name + " is " + v);
        });
  }

  /**
   * 10,000 types, 50,000 functions, 10,000 imports and exports, 100,000 globals and segments,
   * 1,000,000 table elements, 2 MiB per function body, 50,000 locals, nesting 2,000, 65,536
   * br_table targets.
   */
  public static ModuleLimits defaults() {
    return new ModuleLimits(
        10_000, 50_000, 10_000, 10_000, 100_000, 100_000, 100_000, 1_000_000, 2 << 20, 50_000,
        2_000, 65_536);
  }

  public ModuleLimits withMaxTypes(int n) {
    Copy c = new Copy(this);
    c.maxTypes = n;
    return c.build();
  }

  public ModuleLimits withMaxFunctions(int n) {
    Copy c = new Copy(this);
    c.maxFunctions = n;
    return c.build();
  }

  public ModuleLimits withMaxNestingDepth(int n) {
    Copy c = new Copy(this);
    c.maxNestingDepth = n;
    return c.build();
  }

  /** These limits as mutable fields, for the withers to change one. */
  private static final class Copy {
    int maxTypes;
    int maxFunctions;
    int maxImports;
    int maxExports;
    int maxGlobals;
    int maxDataSegments;
    int maxElementSegments;
    long maxTableElements;
    int maxFunctionBodyBytes;
    int maxLocals;
    int maxNestingDepth;
    int maxBrTableTargets;

    Copy(ModuleLimits l) {
      maxTypes = l.maxTypes;
      maxFunctions = l.maxFunctions;
      maxImports = l.maxImports;
      maxExports = l.maxExports;
      maxGlobals = l.maxGlobals;
      maxDataSegments = l.maxDataSegments;
      maxElementSegments = l.maxElementSegments;
      maxTableElements = l.maxTableElements;
      maxFunctionBodyBytes = l.maxFunctionBodyBytes;
      maxLocals = l.maxLocals;
      maxNestingDepth = l.maxNestingDepth;
      maxBrTableTargets = l.maxBrTableTargets;
    }

    ModuleLimits build() {
      return new ModuleLimits(
          maxTypes,
          maxFunctions,
          maxImports,
          maxExports,
          maxGlobals,
          maxDataSegments,
          maxElementSegments,
          maxTableElements,
          maxFunctionBodyBytes,
          maxLocals,
          maxNestingDepth,
          maxBrTableTargets);
    }
  }
}

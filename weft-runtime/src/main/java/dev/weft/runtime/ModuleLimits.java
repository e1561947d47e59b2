package dev.weft.runtime;

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
    for (long v :
        new long[] {
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
          maxBrTableTargets
        }) {
      if (v < 1) throw new IllegalArgumentException("module limits must be positive: " + this);
    }
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
    return new ModuleLimits(
        n,
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

  public ModuleLimits withMaxFunctions(int n) {
    return new ModuleLimits(
        maxTypes,
        n,
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

  public ModuleLimits withMaxNestingDepth(int n) {
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
        n,
        maxBrTableTargets);
  }
}

package dev.weft.runtime.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Words for traps: what happened and, where the stack shows it, in which wasm function. */
final class Traps {
  /** Chicory's compiler emits one JVM method per wasm function, named after its index. */
  private static final Pattern COMPILED_FUNCTION = Pattern.compile("func_(\\d+)");

  private Traps() {}

  static String describe(Throwable e) {
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
  }

  /** " in function 'name'" for the innermost wasm function on the stack, or "" when unknown. */
  static String where(CompiledWasm m, Throwable e) {
    for (StackTraceElement frame : e.getStackTrace()) {
      Matcher mt = COMPILED_FUNCTION.matcher(frame.getMethodName());
      if (mt.matches()) {
        return " in function '" + m.functionName(Integer.parseInt(mt.group(1))) + "'";
      }
    }
    return "";
  }
}

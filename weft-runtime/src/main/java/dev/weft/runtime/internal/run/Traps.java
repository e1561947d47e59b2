package dev.weft.runtime.internal.run;

import dev.weft.runtime.internal.compile.CompiledWasm;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Words for traps: what happened and, where the stack shows it, in which wasm function. */
public final class Traps {
  /** Chicory's compiler emits one JVM method per wasm function, named after its index. */
  private static final Pattern COMPILED_FUNCTION = Pattern.compile("func_(\\d+)");

  private Traps() {}

  public static String describe(Throwable e) {
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
  }

  /** " in function 'name'" for the innermost wasm function on the stack, or "" when unknown. */
  public static String where(CompiledWasm m, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) { // Chicory may wrap the original error
      for (StackTraceElement frame : t.getStackTrace()) {
        Matcher mt = COMPILED_FUNCTION.matcher(frame.getMethodName());
        if (mt.matches()) {
          return " in function '" + m.functionName(Integer.parseInt(mt.group(1))) + "'";
        }
      }
    }
    return "";
  }

  /** Chicory reports stack overflow as a trap with this text (interpreter and compiler). */
  public static boolean isStackExhaustion(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StackOverflowError) return true;
      if (t.getMessage() != null && t.getMessage().contains("call stack exhausted")) return true;
    }
    return false;
  }
}

package dev.weft.expr;

import java.util.function.Function;

/** One entry of the function table: the name expressions call, its arity, and its body. */
record Builtin(String name, Arity arity, Function<Args, Object> body) {
  Object call(java.util.List<Object> args) {
    arity.check(name, args.size());
    return body.apply(new Args(name, args));
  }
}

package dev.weft.expr;

/**
 * How many arguments a function takes: from {@code min} to {@code max} ({@link #VARIADIC} for no
 * upper bound). A call outside the range fails with a message naming the function and both counts.
 */
record Arity(int min, int max) {
  static final int VARIADIC = Integer.MAX_VALUE;

  Arity {
    if (min < 0 || max < min) throw new IllegalArgumentException("bad arity " + min + ".." + max);
  }

  static Arity exactly(int n) {
    return new Arity(n, n);
  }

  static Arity between(int min, int max) {
    return new Arity(min, max);
  }

  /** Any number of arguments, none included. */
  static Arity any() {
    return new Arity(0, VARIADIC);
  }

  boolean accepts(int count) {
    return count >= min && count <= max;
  }

  /** What the function wants, as expr words it: {@code 1}, {@code 1 to 2}, {@code at least 1}. */
  String describe() {
    if (min == max) return String.valueOf(min);
    if (max == VARIADIC) return "at least " + min;
    return min + " to " + max;
  }

  void check(String function, int count) {
    if (!accepts(count)) {
      throw new ExprFunctions.Failure(
          "wrong number of arguments for " + function + ": got " + count + ", want " + describe());
    }
  }
}

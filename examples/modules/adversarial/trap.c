/* trap - main calls explode(), which executes the wasm `unreachable` instruction. */
#include <stdio.h>

__attribute__((noinline)) void explode(void) {
  __builtin_trap();
}

int main(void) {
  fputs("about to trap\n", stderr);
  explode();
  fputs("trap: still alive?\n", stderr);
  return 0;
}

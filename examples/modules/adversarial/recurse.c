/* recurse - unbounded, non-tail recursion in descend(); never returns normally. */
#include <stdio.h>

#pragma clang diagnostic ignored "-Winfinite-recursion"   /* that is the point */

__attribute__((noinline)) int descend(int depth) {
  volatile int frame[4];              /* lives on the shadow stack; volatile keeps it */
  frame[depth & 3] = depth;
  /* the addition after the call makes this not a tail call */
  return descend(depth + 1) + frame[depth & 3];
}

int main(void) {
  fputs("recurse: descending\n", stderr);
  int r = descend(0);
  printf("recurse: returned %d?\n", r);
  return 0;
}

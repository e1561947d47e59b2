/* loop - never terminates: spins on a volatile counter so the compiler cannot drop the loop. */
#include <stdio.h>

int main(void) {
  volatile unsigned long counter = 0;
  fputs("loop: spinning forever\n", stderr);
  for (;;) counter++;
}

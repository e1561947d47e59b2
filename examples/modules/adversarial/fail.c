/* fail - exits with the code given as argv[1] (default 3). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int code = argc > 1 ? atoi(argv[1]) : 3;
  fprintf(stderr, "fail: failing on purpose with exit code %d\n", code);
  return code;
}

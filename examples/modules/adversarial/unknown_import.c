/* unknown_import - imports env.host_magic, which no WASI host provides: linking must fail. */
#include <stdio.h>

__attribute__((import_module("env"), import_name("host_magic"))) int host_magic(int);

int main(void) {
  printf("host_magic says %d\n", host_magic(42));
  return 0;
}

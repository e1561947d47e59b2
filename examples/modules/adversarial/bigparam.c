/* bigparam - plain WASI: writes 1 MiB of 'x' to /tmp/big.txt, prints "wrote big", exits 0. */
#include <stdio.h>
#include <string.h>

#define SIZE (1024 * 1024)

int main(void) {
  static char buf[SIZE];
  memset(buf, 'x', SIZE);
  FILE *f = fopen("/tmp/big.txt", "w");
  if (!f || fwrite(buf, 1, SIZE, f) != SIZE || fclose(f) != 0) {
    perror("bigparam: /tmp/big.txt");
    return 1;
  }
  puts("wrote big");
  return 0;
}

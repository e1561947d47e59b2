/*
 * fill - writes /tmp/fill.bin in 64 KiB chunks until a write fails (the sandbox file system is
 * full), then reports how far it got on stderr and exits 1. Bounded at 8 GiB.
 */
#include <stdio.h>
#include <string.h>

int main(void) {
  static char chunk[64 * 1024];
  memset(chunk, 'f', sizeof chunk);
  FILE *f = fopen("/tmp/fill.bin", "w");
  if (!f) {
    perror("fill: /tmp/fill.bin");
    return 1;
  }
  setvbuf(f, NULL, _IONBF, 0);
  for (long kib = 0; kib < 8L * 1024 * 1024; kib += 64) {
    if (fwrite(chunk, 1, sizeof chunk, f) != sizeof chunk) {
      fprintf(stderr, "fill: write failed after %ld KiB\n", kib);
      return 1;
    }
  }
  fclose(f);
  return 0;
}

/* head - plain WASI example: reads LENGTH bytes (default 1 MiB) at OFFSET (default 0) of FILE and
 * prints "<file size> <bytes read> <fnv32a of the bytes read>". Reads only what it prints, so a
 * lazily read input fetches just that range. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: head FILE [OFFSET] [LENGTH]\n");
    return 64;
  }
  long long offset = argc > 2 ? atoll(argv[2]) : 0;
  long long length = argc > 3 ? atoll(argv[3]) : 1 << 20;
  struct stat st;
  if (stat(argv[1], &st) != 0) {
    perror("head: stat");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) {
    perror("head: open");
    return 2;
  }
  if (fseeko(f, (off_t)offset, SEEK_SET) != 0) {
    perror("head: seek");
    return 2;
  }
  static unsigned char buf[64 * 1024];
  uint32_t h = 2166136261u;
  long long total = 0;
  while (total < length) {
    size_t want = (size_t)((length - total) < (long long)sizeof buf ? (length - total) : (long long)sizeof buf);
    size_t n = fread(buf, 1, want, f);
    for (size_t i = 0; i < n; i++) {
      h ^= buf[i];
      h *= 16777619u;
    }
    total += (long long)n;
    if (n < want) break;
  }
  fclose(f);
  printf("%lld %lld %08x\n", (long long)st.st_size, total, h);
  return 0;
}

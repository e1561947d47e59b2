/* flood - writes 64 MiB to stdout in 64 KiB chunks, then "END OF FLOOD", and exits 0. */
#include <string.h>
#include <unistd.h>

#define CHUNK 65536
#define CHUNKS 1024                   /* 1024 x 64 KiB = 64 MiB */

static int write_all(const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(1, p, n);
    if (w <= 0) return -1;
    p += w; n -= (size_t)w;
  }
  return 0;
}

int main(void) {
  static char chunk[CHUNK];
  /* one 64-byte line, repeated 1024 times per chunk */
  static const char line[] = "flood flood flood flood flood flood flood flood flood flood ...\n";
  _Static_assert(sizeof line - 1 == 64, "line must be 64 bytes");
  for (size_t i = 0; i < CHUNK; i += 64) memcpy(chunk + i, line, 64);
  for (int c = 0; c < CHUNKS; c++)
    if (write_all(chunk, CHUNK) != 0) return 1;
  return write_all("END OF FLOOD\n", 13) != 0;
}

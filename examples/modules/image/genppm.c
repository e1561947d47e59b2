/*
 * genppm - writes a deterministic test image as a binary PPM (P6) to stdout or a file.
 *
 *   genppm WIDTH HEIGHT [OUTPUT] [--text]
 *
 * Pixels come from a fixed xorshift32 sequence mixed with a gradient, so the same size always
 * gives the same bytes. With --text every sample is kept in 32..126 (maxval 126): the file is
 * then printable ASCII and can travel as text, e.g. as an Argo raw artifact.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int text = 0, n = 0;
  const char *pos[3] = {0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--text") == 0) text = 1;
    else if (n < 3) pos[n++] = argv[i];
    else { fprintf(stderr, "genppm: too many arguments\n"); return 2; }
  }
  if (n < 2) { fprintf(stderr, "usage: genppm WIDTH HEIGHT [OUTPUT] [--text]\n"); return 2; }
  long w = atol(pos[0]), h = atol(pos[1]);
  if (w <= 0 || h <= 0 || w * h > 64L * 1024 * 1024) { fprintf(stderr, "genppm: bad size %s x %s\n", pos[0], pos[1]); return 2; }
  FILE *o = n > 2 ? fopen(pos[2], "wb") : stdout;
  if (!o) { fprintf(stderr, "genppm: %s: cannot open for writing\n", pos[2]); return 1; }
  fprintf(o, "P6\n%ld %ld\n%d\n", w, h, text ? 126 : 255);
  uint32_t x = 2463534242u;
  for (long y = 0; y < h; y++) {
    for (long i = 0; i < w * 3; i++) {
      x ^= x << 13; x ^= x >> 17; x ^= x << 5;
      unsigned v = ((x >> 24) + (unsigned)(y * 255 / h)) / 2;   /* noise plus a vertical gradient */
      if (text) v = 32 + v * 94 / 255;
      fputc((int)v, o);
    }
  }
  int bad = ferror(o) || fflush(o) != 0;
  if (o != stdout && fclose(o) != 0) bad = 1;
  if (bad) {
    fprintf(stderr, "genppm: write failed\n");
    return 1;
  }
  return 0;
}

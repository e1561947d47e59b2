/*
 * image - desaturates a PPM image: reads a binary PPM (P6) and writes its luma as a binary PGM
 * (P5) with the same size and maxval.
 *
 *   image [INPUT [OUTPUT]]      defaults: /tmp/image.ppm  /tmp/gray.ppm
 *
 * luma = (77 R + 150 G + 29 B) / 256 (integer BT.601 weights), for any maxval 1..255.
 * Prints one line to stdout: "gray <width>x<height> maxval <m> checksum <sum of output samples>".
 * Exits 1 with a message on stderr naming the file and the problem.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *prog = "image";

static int fail(const char *path, const char *what) {
  fprintf(stderr, "%s: %s: %s\n", prog, path, what);
  return 1;
}

/* Reads the next header number, skipping whitespace and # comments. Returns -1 if there is none. */
static long header_number(FILE *f) {
  int c = fgetc(f);
  for (;;) {
    while (c == ' ' || c == '\t' || c == '\n' || c == '\r') c = fgetc(f);
    if (c != '#') break;
    while (c != '\n' && c != EOF) c = fgetc(f);
  }
  if (c < '0' || c > '9') return -1;
  long v = 0;
  while (c >= '0' && c <= '9') {
    v = v * 10 + (c - '0');
    if (v > 1000000) return -1;
    c = fgetc(f);
  }
  /* exactly one whitespace character ends the header's last number; it has been consumed */
  return v;
}

int main(int argc, char **argv) {
  const char *in = argc > 1 ? argv[1] : "/tmp/image.ppm";
  const char *out = argc > 2 ? argv[2] : "/tmp/gray.ppm";

  FILE *f = fopen(in, "rb");
  if (!f) return fail(in, "cannot open for reading");
  if (fgetc(f) != 'P' || fgetc(f) != '6') { fclose(f); return fail(in, "not a binary PPM (P6)"); }
  long w = header_number(f), h = header_number(f), maxval = header_number(f);
  if (w <= 0 || h <= 0 || w * h > 64L * 1024 * 1024) { fclose(f); return fail(in, "bad width or height (1..64M pixels)"); }
  if (maxval < 1 || maxval > 255) { fclose(f); return fail(in, "maxval must be 1..255 (16-bit samples are not supported)"); }

  size_t pixels = (size_t)w * (size_t)h;
  uint8_t *rgb = malloc(pixels * 3), *gray = malloc(pixels);
  if (!rgb || !gray) { fclose(f); return fail(in, "out of memory"); }
  size_t got = fread(rgb, 1, pixels * 3, f);
  fclose(f);
  if (got != pixels * 3) return fail(in, "truncated pixel data");

  uint64_t sum = 0;
  for (size_t i = 0; i < pixels; i++) {
    uint32_t r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
    uint8_t y = (uint8_t)((77 * r + 150 * g + 29 * b) >> 8);
    gray[i] = y;
    sum += y;
  }

  FILE *o = fopen(out, "wb");
  if (!o) return fail(out, "cannot open for writing");
  int ok = fprintf(o, "P5\n%ld %ld\n%ld\n", w, h, maxval) > 0 && fwrite(gray, 1, pixels, o) == pixels;
  if (fclose(o) != 0 || !ok) return fail(out, "write failed");
  printf("gray %ldx%ld maxval %ld checksum %llu\n", w, h, maxval, (unsigned long long)sum);
  free(rgb);
  free(gray);
  return 0;
}

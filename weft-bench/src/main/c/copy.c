/* copy - the comparison harness's artifact I/O task: copies file argv[1] to argv[2]. */
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: copy INPUT OUTPUT\n"); return 2; }
  FILE *in = fopen(argv[1], "rb");
  if (!in) { fprintf(stderr, "copy: %s: cannot open for reading\n", argv[1]); return 1; }
  FILE *out = fopen(argv[2], "wb");
  if (!out) { fprintf(stderr, "copy: %s: cannot open for writing\n", argv[2]); return 1; }
  static char buf[65536];
  size_t n, total = 0;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    if (fwrite(buf, 1, n, out) != n) { fprintf(stderr, "copy: %s: write failed\n", argv[2]); return 1; }
    total += n;
  }
  if (ferror(in)) { fprintf(stderr, "copy: %s: read failed\n", argv[1]); return 1; }
  if (fclose(out) != 0) { fprintf(stderr, "copy: %s: write failed\n", argv[2]); return 1; }
  fclose(in);
  printf("copied %zu bytes\n", total);
  return 0;
}

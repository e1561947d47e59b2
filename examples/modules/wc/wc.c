/* wc - plain WASI example: counts lines, words and bytes of FILE (default /work/artifacts-in/text). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "/work/artifacts-in/text";
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "wc: cannot open %s: %s\n", path, strerror(errno));
    return 2;
  }
  static unsigned char buf[65536];
  unsigned long long lines = 0, words = 0, bytes = 0;
  int in_word = 0;
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    bytes += n;
    for (size_t i = 0; i < n; i++) {
      unsigned char c = buf[i];
      if (c == '\n') lines++;
      if (isspace(c)) in_word = 0;
      else if (!in_word) { in_word = 1; words++; }
    }
  }
  if (ferror(f)) {
    fprintf(stderr, "wc: cannot read %s: %s\n", path, strerror(errno));
    fclose(f);
    return 2;
  }
  fclose(f);
  printf("%llu %llu %llu\n", lines, words, bytes);

  FILE *w = fopen("/tmp/words.txt", "w");
  if (!w || fprintf(w, "%llu", words) < 0 || fclose(w) != 0) {
    fprintf(stderr, "wc: cannot write /tmp/words.txt: %s\n", strerror(errno));
    return 2;
  }
  return 0;
}

/* badjson - writes a truncated, invalid /work/result.json and exits 0. */
#include <stdio.h>

int main(void) {
  FILE *f = fopen("/work/result.json", "w");
  if (!f) { perror("badjson: /work/result.json"); return 1; }
  fputs("{\"phase\": \"Succeeded\", \"message\": \"oops\",", f);
  return fclose(f) != 0;
}

/*
 * escape - writes a real output artifact, then a result.json whose second output artifact
 * path escapes the sandbox. Parameter "variant": "dotdot" (default) -> ../../../etc/passwd,
 * "absolute" -> //etc/passwd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../include/weft_contract.h"

int main(void) {
  char *variant = NULL;
  char *json = weft_read_file(WEFT_INPUT_JSON, NULL);
  if (json && weft_get_param(json, "variant", &variant) < 0) variant = NULL;
  const char *v = variant ? variant : "dotdot";
  const char *evil;
  if (!strcmp(v, "dotdot")) evil = "../../../etc/passwd";
  else if (!strcmp(v, "absolute")) evil = "//etc/passwd";
  else { fprintf(stderr, "escape: unknown variant '%s' (dotdot|absolute)\n", v); return 2; }

  if (mkdir("/work/artifacts-out", 0777) != 0 && errno != EEXIST) {
    perror("escape: mkdir /work/artifacts-out");
    return 1;
  }
  FILE *f = fopen("/work/artifacts-out/ok.txt", "w");
  if (!f || fputs("this artifact is fine\n", f) < 0 || fclose(f) != 0) {
    perror("escape: /work/artifacts-out/ok.txt");
    return 1;
  }
  weft_artifact arts[] = { { "ok", "/ok.txt" }, { "passwd", evil } };
  if (weft_write_result_ex("Succeeded", "please collect /etc/passwd", NULL, 0, arts, 2) != 0) {
    perror("escape: /work/result.json");
    return 1;
  }
  fprintf(stderr, "escape: variant %s, artifact path %s\n", v, evil);
  return 0;
}

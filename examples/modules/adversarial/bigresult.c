/* bigresult - writes a ~2 MiB contract-v1 result.json (one 2 MiB output parameter), exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../include/weft_contract.h"

#define SIZE (2 * 1024 * 1024)

int main(void) {
  char *value = malloc(SIZE + 1);
  if (!value) { fputs("bigresult: out of memory\n", stderr); return 1; }
  for (size_t i = 0; i < SIZE; i++) value[i] = (char)('a' + i % 26);
  value[SIZE] = '\0';
  weft_param p = { "big", value };
  if (write_result("Succeeded", "a 2 MiB output parameter", &p, 1) != 0) {
    perror("bigresult: /work/result.json");
    return 1;
  }
  return 0;
}

/* hello - weft contract-v1 example: greets parameter "name" (default "World"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../include/weft_contract.h"

int main(void) {
  char *json = weft_read_file(WEFT_INPUT_JSON, NULL);
  if (!json) {
    fprintf(stderr, "hello: cannot read %s\n", WEFT_INPUT_JSON);
    return 1;
  }
  char *name;
  int r = weft_get_param(json, "name", &name);
  if (r < 0) {
    fprintf(stderr, "hello: %s is not valid JSON\n", WEFT_INPUT_JSON);
    return 1;
  }
  const char *who = r ? name : "World";

  size_t n = strlen(who);
  char *greeting = malloc(n + 9), *message = malloc(n + 9);
  if (!greeting || !message) { fputs("hello: out of memory\n", stderr); return 1; }
  memcpy(greeting, "Hello, ", 7); memcpy(greeting + 7, who, n); memcpy(greeting + 7 + n, "!", 2);
  memcpy(message, "greeted ", 8); memcpy(message + 8, who, n + 1);

  printf("%s\n", greeting);
  weft_param out = { "greeting", greeting };
  if (write_result("Succeeded", message, &out, 1) != 0) {
    fprintf(stderr, "hello: cannot write %s\n", WEFT_RESULT_JSON);
    return 1;
  }
  return 0;
}

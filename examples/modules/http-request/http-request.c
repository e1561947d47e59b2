/*
 * http-request - weft contract-v1 example using the wasi_experimental_http host ABI (the earlier
 * plugin's contrib/http-request, in C). Inputs: url (required), method (default GET), body and
 * content_type (only together). Outputs: status_code, body, content_type.
 * Test aids (weft additions): repeat = N keeps N responses open (probes max_concurrent_requests);
 * env = NAME outputs env_value, the module's environment variable NAME (or "(unset)"), and makes
 * url optional.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../include/weft_contract.h"

#define HTTP_IMPORT(n) __attribute__((import_module("wasi_experimental_http"), import_name(n)))

HTTP_IMPORT("req") int32_t http_req(const char *url, size_t url_len, const char *method, size_t method_len,
                                    const char *headers, size_t headers_len, const char *body, size_t body_len,
                                    uint16_t *status, uint32_t *handle);
HTTP_IMPORT("close") int32_t http_close(uint32_t handle);
HTTP_IMPORT("header_get") int32_t http_header_get(uint32_t handle, const char *name, size_t name_len,
                                                  char *value, size_t value_len, size_t *written);
HTTP_IMPORT("body_read") int32_t http_body_read(uint32_t handle, char *buf, size_t buf_len, size_t *read);

static const char *http_error(int32_t e) {
  static const char *names[] = {"success", "invalid handle", "memory not found", "memory access error",
      "buffer too small", "header not found", "UTF-8 error", "destination not allowed", "invalid method",
      "invalid encoding", "invalid URL", "request error", "runtime error", "too many sessions"};
  return e >= 0 && e <= 13 ? names[e] : "unknown error";
}

static int fail(const char *what, int32_t e) {
  fprintf(stderr, "http-request: %s failed: error %d (%s)\n", what, (int)e, http_error(e));
  return 1;
}

int main(void) {
  char *json = weft_read_file(WEFT_INPUT_JSON, NULL);
  if (!json) { fprintf(stderr, "http-request: cannot read %s\n", WEFT_INPUT_JSON); return 1; }
  char *url = NULL, *method = NULL, *body = NULL, *ctype = NULL, *repeat = NULL, *envname = NULL;
  if (weft_get_param(json, "url", &url) < 0 || weft_get_param(json, "method", &method) < 0
      || weft_get_param(json, "body", &body) < 0 || weft_get_param(json, "content_type", &ctype) < 0
      || weft_get_param(json, "repeat", &repeat) < 0 || weft_get_param(json, "env", &envname) < 0) {
    fprintf(stderr, "http-request: %s is not valid JSON\n", WEFT_INPUT_JSON);
    return 1;
  }
  weft_param out[4];
  size_t n = 0;
  if (envname) {
    const char *v = getenv(envname);
    out[n++] = (weft_param){"env_value", v ? v : "(unset)"};
    if (!url) return write_result("Succeeded", "read the environment", out, n) ? 1 : 0;
  }
  if (!url) { write_result("Failed", "Expected parameter \"url\" to be present", NULL, 0); return 1; }
  if ((body == NULL) != (ctype == NULL)) {
    write_result("Failed", "parameters \"body\" and \"content_type\" must be given together", NULL, 0);
    return 1;
  }
  if (!method) method = "GET";
  char headers[512] = "";
  if (ctype) snprintf(headers, sizeof headers, "content-type:%s\n", ctype);
  int times = repeat ? atoi(repeat) : 1;
  if (times < 1) times = 1;

  uint16_t status = 0;
  uint32_t handle = 0;
  for (int i = 0; i < times; i++) {   /* handles stay open until the end: max_concurrent_requests */
    int32_t e = http_req(url, strlen(url), method, strlen(method), headers, strlen(headers),
                         body, body ? strlen(body) : 0, &status, &handle);
    if (e) return fail("req", e);
  }

  size_t cap = 1 << 16, len = 0, got = 0;
  char *resp = malloc(cap + 1);
  for (;;) {
    if (len == cap) { cap *= 2; resp = realloc(resp, cap + 1); }
    if (!resp) { fputs("http-request: out of memory\n", stderr); return 1; }
    int32_t e = http_body_read(handle, resp + len, cap - len, &got);
    if (e) return fail("body_read", e);
    if (got == 0) break;
    len += got;
  }
  resp[len] = '\0';

  char ct[256] = "";
  size_t ct_len = 0;
  int32_t e = http_header_get(handle, "content-type", 12, ct, sizeof ct - 1, &ct_len);
  if (e == 0) ct[ct_len] = '\0';
  else if (e != 5) return fail("header_get", e);
  http_close(handle);

  char code[8];
  snprintf(code, sizeof code, "%u", (unsigned)status);
  out[n++] = (weft_param){"status_code", code};
  out[n++] = (weft_param){"body", resp};
  out[n++] = (weft_param){"content_type", ct};
  char message[64];
  snprintf(message, sizeof message, "HTTP %u, %zu bytes", (unsigned)status, len);
  if (write_result("Succeeded", message, out, n) != 0) {
    fprintf(stderr, "http-request: cannot write %s\n", WEFT_RESULT_JSON);
    return 1;
  }
  return 0;
}

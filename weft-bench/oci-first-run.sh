#!/usr/bin/env bash
# First run of a module new to a warm `weft serve` (pull + compile + run from a local registry),
# and the first request after a restart with a warm disk cache (docs/benchmarks.md §6).
# Needs docker-registry (apt-get install docker-registry). Prints one line per measurement.
# ENGINE=compiler weft-bench/oci-first-run.sh measures compile-first instead of the tiered default.
# The server runs through the ./weft launcher, with its JVM options; WEFT_JAVA_OPTS adds more.
# RESTARTS=N restarts the server N times (default 1), one pair of restart lines each.
# VERBOSE=1 also prints the server's timing lines (add -Dorg.slf4j.simpleLogger.log.dev.weft=debug).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Dstyle.color=never -DskipTests package -pl weft-cli -am
work=$(mktemp -d)
rport=5077; sport=3977
cat > "$work/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: 127.0.0.1:$rport}
YML
/usr/bin/docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
rpid=$!
spid=
trap 'kill $rpid ${spid:-} 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
module=examples/modules/reverse/reverse.wasm    # 164 KB, Rust
tag="127.0.0.1:$rport/bench/reverse:run-$RANDOM$RANDOM"
pinned=$(java -jar weft-cli/target/weft.jar push "$module" "$tag" --insecure-registry 127.0.0.1:$rport)
# a warm server has pulled modules before: its warm-up steps use another module from the same registry
warm="127.0.0.1:$rport/bench/hello:warm"
java -jar weft-cli/target/weft.jar push examples/modules/hello/hello.wasm "$warm" --insecure-registry 127.0.0.1:$rport >/dev/null

serve() {
  ./weft serve --insecure-no-auth --port $sport --module-dir examples/modules --engine "${ENGINE:-tiered}" \
    --cache-dir "$work/cache" --insecure-registry 127.0.0.1:$rport >> "$work/serve.log" 2>&1 &
  spid=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$sport/readyz" >/dev/null && return; sleep 0.05; done
  echo "server did not start" >&2; exit 1
}
step() { # $1 = module block, $2 = uid; prints seconds
  curl -s -o "$work/reply.json" -w "%{time_total}" "http://127.0.0.1:$sport/api/v1/template.execute" -H 'Content-Type: application/json' \
    -d "{\"workflow\":{\"metadata\":{\"name\":\"b\",\"uid\":\"$2\"}},\"template\":{\"name\":\"r\",\"inputs\":{\"parameters\":[{\"name\":\"text\",\"value\":\"abc\"}]},\"plugin\":{\"wasm\":{\"module\":$1}}}}"
  grep -q '"phase":"Succeeded"' "$work/reply.json" || { echo "step failed: $(cat "$work/reply.json")" >&2; exit 1; }
}

serve
for i in $(seq 200); do step "{\"oci\":\"$warm\"}" "warm-$i" >/dev/null; done   # a warm server
printf 'first run of a new module by tag (pull + compile + run), warm server: %.1f ms\n' "$(echo "$(step "{\"oci\":\"$tag\"}" first) * 1000" | bc)"
printf 'same module again (cached): %.1f ms\n' "$(echo "$(step "{\"oci\":\"$tag\"}" second) * 1000" | bc)"
for r in $(seq "${RESTARTS:-1}"); do
  kill $spid; wait $spid 2>/dev/null || true
  serve
  printf 'after a restart, warm disk cache, pinned by digest, first request: %.1f ms\n' "$(echo "$(step "{\"oci\":\"$pinned\"}" restart-$r) * 1000" | bc)"
  printf 'after a restart, the next request: %.1f ms\n' "$(echo "$(step "{\"oci\":\"$pinned\"}" restart-$r-2) * 1000" | bc)"
done
[ -n "${VERBOSE:-}" ] && grep -v "step warm-up" "$work/serve.log" | grep "step \|warmed\|resolved\|pulled" >&2 || true

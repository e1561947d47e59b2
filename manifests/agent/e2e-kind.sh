#!/usr/bin/env bash
# End to end on a throwaway kind cluster: Argo Workflows v4.1 with disableAgentPodCreation,
# weft agent as the only agent, and weft's example workflows (plugin: wasm: steps) plus one
# http: template. Needs docker, kind and kubectl; run from anywhere inside the repository.
#
# NOT RUN IN CI, AND NEVER RUN YET: the machines weft is developed on have no Docker. Treat a
# failure here as a bug report against this script as much as against weft.
#
#   ARGO_VERSION=v4.1.2 KEEP=1 manifests/agent/e2e-kind.sh
#
# KEEP=1 leaves the cluster for inspection (kind delete cluster --name weft-e2e removes it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cluster=${CLUSTER:-weft-e2e}
argo_version=${ARGO_VERSION:-v4.1.2}
image=weft:e2e
ns=argo

for tool in docker kind kubectl; do
  command -v "$tool" >/dev/null || { echo "e2e: needs $tool" >&2; exit 2; }
done

cleanup() { [ "${KEEP:-0}" = 1 ] || kind delete cluster --name "$cluster" >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== kind cluster $cluster"
kind create cluster --name "$cluster" --wait 120s

echo "== Argo Workflows $argo_version in namespace $ns"
kubectl create namespace "$ns"
# quick-start-minimal: the controller plus MinIO, the artifact-repositories ConfigMap (default-v1)
# and its Secret my-minio-cred, so artifacts cross between container and Wasm steps
kubectl apply -n "$ns" --server-side -f "https://github.com/argoproj/argo-workflows/releases/download/$argo_version/quick-start-minimal.yaml"
# the switch, and results seen by the controller within about a second (docs/cluster.md §5)
kubectl -n "$ns" patch configmap workflow-controller-configmap --type merge -p '{"data":{"disableAgentPodCreation":"true"}}'
kubectl -n "$ns" set env deployment/workflow-controller DEFAULT_REQUEUE_TIME=1s
kubectl -n "$ns" rollout status deployment/workflow-controller --timeout=180s
# workflows run as the namespace's default service account; plugin and http: nodes need no pod,
# but the controller still checks the account exists
kubectl -n "$ns" create rolebinding default-executor --clusterrole=argo-aggregate-to-edit --serviceaccount="$ns:default" 2>/dev/null || true

echo "== weft image and the pool"
docker build -t "$image" "$root"
kind load docker-image "$image" --name "$cluster"
kubectl kustomize "$root/manifests/agent/namespace-install" | sed "s#image: ghcr.io/weft-dev/weft:0.1.0#image: $image#" | kubectl apply -n "$ns" -f -
kubectl -n "$ns" rollout status deployment/weft-agent --timeout=180s

failures=0
run() { # file expected-phase
  local file=$1 expected=$2 name phase
  # the examples name modules relative to the workflow file for `weft run`; in the pool they are
  # under --module-dir /modules
  name=$(sed 's#file: \.\./modules/#file: #' "$file" | kubectl create -n "$ns" -f - -o jsonpath='{.metadata.name}')
  for _ in $(seq 120); do
    phase=$(kubectl -n "$ns" get workflow "$name" -o jsonpath='{.status.phase}')
    case "$phase" in Succeeded|Failed|Error) break ;; esac
    sleep 1
  done
  if [ "$phase" = "$expected" ]; then
    echo "ok    $name: $phase"
  else
    echo "FAIL  $name: $phase (expected $expected)"
    kubectl -n "$ns" get workflow "$name" -o yaml | sed -n '/^status:/,$p' | head -40
    failures=$((failures + 1))
  fi
}

echo "== example workflows"
for wf in hello-world steps dag-diamond loops loops-param coinflip conditionals parameter-aggregation retries; do
  run "$root/examples/workflows/$wf.yaml" Succeeded
done
run "$root/examples/workflows/exit-handler.yaml" Failed

echo "== artifacts: Wasm to Wasm, and container to Wasm to container (MinIO, the namespace's repository)"
run "$root/examples/workflows/artifact-passing.yaml" Succeeded
mixed_wf=$(mktemp)
cat > "$mixed_wf" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: mixed-artifacts-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: write
            template: write
        - - name: count
            template: count
            arguments:
              artifacts:
                - {name: text, from: "{{steps.write.outputs.artifacts.text}}"}
        - - name: save
            template: save
            arguments:
              parameters:
                - {name: counts, value: "{{steps.count.outputs.result}}"}
        - - name: check
            template: check
            arguments:
              artifacts:
                - {name: counts, from: "{{steps.save.outputs.artifacts.counts}}"}
    - name: write          # a container writes an artifact
      container:
        image: busybox:1.36
        command: [sh, -c, "echo 'one two three' > /tmp/text.txt"]
      outputs:
        artifacts:
          - {name: text, path: /tmp/text.txt}
    - name: count          # Wasm reads it: result "1 3 14"
      inputs:
        artifacts:
          - {name: text, path: /in/text.txt}
      plugin:
        wasm:
          module: {file: wc/wc.wasm}
          args: [/in/text.txt]
    - name: save           # Wasm writes an artifact
      inputs:
        parameters:
          - name: counts
      outputs:
        artifacts:
          - {name: counts, path: /tmp/counts.txt}
      plugin:
        wasm:
          module: {file: argosay/argosay.wasm}
          args: [echo, "{{inputs.parameters.counts}}", /tmp/counts.txt]
    - name: check          # a container reads it
      inputs:
        artifacts:
          - {name: counts, path: /in/counts.txt}
      container:
        image: busybox:1.36
        command: [sh, -c, "grep -qx '1 3 14' /in/counts.txt"]
YAML
run "$mixed_wf" Succeeded
rm -f "$mixed_wf"

echo "== an http: template (run by the pool) and a foreign plugin (Error naming it)"
http_wf=$(mktemp)
cat > "$http_wf" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: http-
spec:
  entrypoint: main
  templates:
    - name: main
      http:
        url: https://kubernetes.default.svc/healthz
        insecureSkipVerify: true
        successCondition: response.statusCode == 200 || response.statusCode == 401 || response.statusCode == 403
YAML
run "$http_wf" Succeeded
cat > "$http_wf" <<'YAML'
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: foreign-plugin-
spec:
  entrypoint: main
  templates:
    - name: main
      plugin:
        hello: {}
YAML
run "$http_wf" Error
rm -f "$http_wf"

echo "== the pool's view"
kubectl -n "$ns" logs deployment/weft-agent --tail=50 || true
pod=$(kubectl -n "$ns" get pod -l app=weft-agent -o jsonpath='{.items[0].metadata.name}')
kubectl get --raw "/api/v1/namespaces/$ns/pods/$pod:9090/proxy/metrics" \
  | grep -E '^weft_agent_(tasks_total|seen_to_patched_seconds_(count|sum))' || true

if [ "$failures" -gt 0 ]; then
  echo "e2e: $failures workflow(s) did not end as expected" >&2
  exit 1
fi
echo "e2e: all workflows ended as expected"

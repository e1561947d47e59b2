#!/usr/bin/env bash
# Renders the two installs into single files (what `weft agent manifest` prints):
#   manifests/agent/namespace-install.yaml and manifests/agent/cluster-install.yaml
# Run after changing anything under base/, namespace-install/ or cluster-install/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for install in namespace-install cluster-install; do
  {
    echo "# This is an auto-generated file (manifests/agent/build.sh from manifests/agent/$install). DO NOT EDIT"
    kubectl kustomize "$install"
  } > "$install.yaml"
done

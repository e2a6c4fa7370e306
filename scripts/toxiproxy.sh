#!/usr/bin/env bash
# Builds Toxiproxy's server (MIT, Go) once into the tools cache, for the network faults
# (--fault latency:… and partition:…): `go install` of its v2.5.0 module, about a minute the first
# time, nothing after. Needs Go (PATH, or /usr/local/go/bin). Prints the binary's path.
set -euo pipefail
TOXIPROXY_VER=v2.5.0
LAB_TOOLS_DIR=${LAB_TOOLS_DIR:-$HOME/.cache/concurrency-lab-tools}
bin_dir=$LAB_TOOLS_DIR/toxiproxy-$TOXIPROXY_VER
if [ ! -x "$bin_dir/server" ]; then
  go=$(command -v go || echo /usr/local/go/bin/go)
  [ -x "$go" ] || { echo "toxiproxy.sh: Go is needed once to build Toxiproxy $TOXIPROXY_VER" >&2; exit 1; }
  mkdir -p "$bin_dir"
  GOBIN=$bin_dir GOFLAGS=-mod=mod "$go" install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VER" >&2
fi
echo "$bin_dir/server"

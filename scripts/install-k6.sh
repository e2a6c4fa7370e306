#!/usr/bin/env bash
# Builds the pinned k6 from its Go module into $(go env GOPATH)/bin once, and reuses it after.
# `go install go.k6.io/k6/v2@…` would also look the module's vanity path up on its own host, which
# these machines cannot reach; the module itself comes through the Go module proxy and builds from
# its folder. Prints the k6 binary's path on stdout.
set -euo pipefail
K6_VERSION=v2.2.0
if [ -n "${LAB_K6:-}" ]; then
  echo "$LAB_K6"
  exit 0
fi
command -v go >/dev/null || {
  echo "install-k6: Go is not on PATH to build k6 $K6_VERSION; install k6 with your package manager, or Go, or set LAB_K6" >&2
  exit 1
}
k6_bin="$(go env GOPATH)/bin/k6"
if ! "$k6_bin" version 2>/dev/null | grep -q "k6 $K6_VERSION"; then
  echo "install-k6: building k6 $K6_VERSION into $k6_bin (a few minutes, once)" >&2
  # `go mod download` works outside any module (unlike `go list -m`) and says where it put it.
  module_dir=$(go mod download -json "go.k6.io/k6/v2@$K6_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "$module_dir" ] || { echo "install-k6: could not download go.k6.io/k6/v2@$K6_VERSION" >&2; exit 1; }
  mkdir -p "$(dirname "$k6_bin")"
  (cd "$module_dir" && go build -trimpath -o "$k6_bin" .) >&2
fi
echo "$k6_bin"

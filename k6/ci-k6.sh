#!/usr/bin/env bash
# CI: the k6 scenarios through the real k6, as `pnpm lab k6` runs them (services, server replicas,
# reset, k6, summary, verdict). Fails when any verdict differs from the lab's expectation.
# Builds k6 with Go when it is missing (pinned version, kept in $(go env GOPATH)/bin for later runs).
# About two minutes on two cores once k6 is built; building it adds a few minutes the first time.
#   bash k6/ci-k6.sh            (the lead's .ci/run calls it after the workspace is installed)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/tools.sh
source scripts/tools.sh

K6_VERSION=v2.2.0
results=test-output/k6
mkdir -p "$results"

# --- k6: the pinned release, built once from its Go module and reused ---------------------------
if [ -n "${LAB_K6:-}" ]; then
  k6_bin=$LAB_K6
else
  command -v go >/dev/null || { echo "k6-ci: k6 is not installed and Go is not on PATH to build it (see apps/cli/src/k6-binary.ts for other ways)" >&2; exit 1; }
  k6_bin="$(go env GOPATH)/bin/k6"
fi
if ! "$k6_bin" version 2>/dev/null | grep -q "k6 $K6_VERSION"; then
  echo "k6-ci: building k6 $K6_VERSION into $k6_bin"
  # `go install go.k6.io/k6/v2@…` resolves the module's vanity path through its own host, which CI
  # cannot reach; the module itself comes through the Go module proxy, and builds from its folder.
  module_dir=$(go list -m -f '{{.Dir}}' "go.k6.io/k6/v2@$K6_VERSION")
  mkdir -p "$(dirname "$k6_bin")"
  (cd "$module_dir" && go build -trimpath -o "$k6_bin" .)
fi
export LAB_K6=$k6_bin
echo "k6-ci: $("$LAB_K6" version | head -1)"

# --- the scripts typecheck (k6 runs them as TypeScript) ------------------------------------------
pnpm exec tsc -p k6

# --- the runs: each must end with the verdict its lab expects -------------------------------------
passed=0
failed=0
run() {
  echo "k6-ci: pnpm lab k6 $*"
  local started=$SECONDS
  if timeout 600 pnpm -s lab k6 "$@" --results "$results"; then
    passed=$((passed + 1))
    echo "k6-ci: ok ($((SECONDS - started)) s): $*"
  else
    failed=$((failed + 1))
    echo "k6-ci: FAILED ($((SECONDS - started)) s): $*" >&2
  fi
}

# 10000 withdrawals of 2 from 10000 at 1000 VUs: exactly 5000 × 200 and 5000 × 409, no violation.
run withdraw-storm --lab update-returning
# 40 orders over 3 replicas: the in-process mutex oversells (expected unsafe with replicas); the
# 25 ms race window makes the overlap certain rather than likely.
run replicas --lab mutex --replicas 3 --race-window-ms 25
# The same orders with the lock in the store: exactly 10 sold.
run replicas --lab update-returning --replicas 3 --race-window-ms 25
run replicas --lab select-for-update --replicas 3 --race-window-ms 25
if pnpm -s lab list --json | grep -q '"name": "redlock"'; then
  run replicas --lab redlock --replicas 3 --race-window-ms 25
fi

echo "k6: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

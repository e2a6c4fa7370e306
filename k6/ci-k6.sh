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

results=test-output/k6
mkdir -p "$results"

# --- k6: the pinned release, built once with Go and reused (scripts/install-k6.sh) -----------------
k6_bin=$(bash scripts/install-k6.sh)
export LAB_K6=$k6_bin
echo "k6-ci: $("$LAB_K6" version | head -1)"

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

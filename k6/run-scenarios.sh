#!/usr/bin/env bash
# The k6 demonstrations, one after the other, through `pnpm lab k6` (services, server replicas, reset,
# k6, summary, verdict), with your own k6: the one named by LAB_K6, or k6 on PATH. The project never
# builds or fetches k6 (it is AGPL-licensed), and CI does not run this. Fails when any verdict differs
# from the lab's expectation. About a minute and a half on two cores.
#   bash k6/run-scenarios.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/tools.sh
source scripts/tools.sh

if [ -z "${LAB_K6:-}" ] && ! command -v k6 >/dev/null; then
  # `lab k6` itself says how to get k6 from Grafana's own channels (and exits 1).
  pnpm -s lab k6 replicas --lab mutex
  exit 1
fi
results=test-output/k6
mkdir -p "$results"

passed=0
failed=0
run() {
  echo "k6-runs: pnpm lab k6 $*"
  local started=$SECONDS
  if timeout 600 pnpm -s lab k6 "$@" --results "$results"; then
    passed=$((passed + 1))
    echo "k6-runs: ok ($((SECONDS - started)) s): $*"
  else
    failed=$((failed + 1))
    echo "k6-runs: FAILED ($((SECONDS - started)) s): $*" >&2
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

// Pure data, no k6 import: tests and docs read it; run-config.ts reads the variables it names.

/** The environment variables every k6 scenario reads (pass them with `k6 run -e NAME=value`). */
export const K6_ENV = {
  LAB_URLS: 'comma-separated base URLs of the server replicas (default http://127.0.0.1:8080)',
  LAB_LAB: 'the lab to drive (default update-returning)',
  LAB_EXPECT: 'safe or unsafe: what the lab should be here; safe adds the failing thresholds (default safe)',
  LAB_ADMIN_TOKEN: 'the servers’ LAB_ADMIN_TOKEN, needed to reset the state in setup()',
  LAB_RESULTS_DIR: 'folder for the JSON summary (default results/k6)',
  LAB_PLAN:
    "the scenario's plan as JSON (VUs, executor, operations, expected outcome); `lab k6` builds it from the scenario's own builder (default: the copy in lib/plans.ts)",
  LAB_ALLOW_REMOTE:
    '1 to accept URLs that are not loopback addresses (compose, Kubernetes); default: loopback only',
  LAB_EXACT_COUNTS:
    '0 drops the thresholds on exact ok/failure counts, for distributed runs where each k6 instance sees only its share (the server-side check still judges the whole run); default 1',
  LAB_CHECK_HISTORY:
    'ledger to have /check judge from the shared state and ledger alone (replicas behind one load-balanced URL, which setup() cannot reset one by one); default local',
} as const;

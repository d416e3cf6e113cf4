#!/usr/bin/env bash
# Installs the Debian packages the test suite uses for real (no mocks): Chromium for the report and
# report screenshots, PostgreSQL for the multi-worker storage tests, PyTorch for the PyTorch example.
# Idempotent and quick when everything is there; needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
# Optuna 3.1, the anchor that the benchmarks (npm run bench:*) run side by side with Winnow.
/usr/bin/python3 -c 'import optuna' >/dev/null 2>&1 || need+=(python3-optuna)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"

#!/usr/bin/env bash
# Installs the system packages the full test suite needs, when they are missing:
# PostgreSQL 15 server binaries (integration tests start a throwaway server) and Debian's
# Chromium (Playwright drives it headless; Playwright cannot download its own browser here).
set -euo pipefail
need=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing system packages: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "system packages present: postgresql ($(ls -d /usr/lib/postgresql/*/bin | tail -n1)), chromium ($(chromium --version 2>/dev/null || echo missing))"

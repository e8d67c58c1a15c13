#!/usr/bin/env bash
# `make run`: migrate, seed the demo caseload (once), set up EM devices and zones for it, then
# serve the platform with the EM simulator posting synthetic trails so alerts appear live.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${PROBATION_HOST:-127.0.0.1}
PORT=${PROBATION_PORT:-8000}
mkdir -p var
$BIN/probation db upgrade
$BIN/probation seed --people 500 --seed 1 --if-empty
$BIN/probation em setup-demo
(
  $BIN/python - "$HOST" "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://{sys.argv[1]}:{sys.argv[2]}/health", timeout=2)
        break
    except OSError:
        time.sleep(1)
PY
  exec $BIN/probation em simulate --minutes 0 --rate 5 --url "http://$HOST:$PORT"
) > var/simulator.log 2>&1 &
simulator=$!
trap 'kill $simulator 2>/dev/null || true' EXIT INT TERM
echo "EM simulator running in the background (log: var/simulator.log)"
$BIN/probation serve --host "$HOST" --port "$PORT"

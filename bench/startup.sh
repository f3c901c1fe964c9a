#!/usr/bin/env bash
# Measures command one: a cold start (fresh build, no data) and warm starts (no build, existing data), each
# timed from the command until the launcher prints "Majlis is up", then stopped with SIGTERM.
# Usage: bench/startup.sh [cold-runs] [warm-runs]      (defaults: 2 and 3)
# Uses its own data folder and the default ports; nothing else may listen on them.
set -euo pipefail
cd "$(dirname "$0")/.."
cold_runs=${1:-2}
warm_runs=${2:-3}
export MAJLIS_LOCAL_DATA=${MAJLIS_LOCAL_DATA:-bench/out/startup-data}
mkdir -p bench/out
log=bench/out/startup.log

run_once() {
  local started now pid
  started=$(date +%s.%N)
  ./run-local > "$log" 2>&1 &
  pid=$!
  until grep -q "Majlis is up" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "the stack did not start:" >&2; cat "$log" >&2; exit 1; fi
    sleep 0.2
  done
  now=$(date +%s.%N)
  local build=""
  if grep -q "Building the services" "$log"; then build=" (with build)"; fi
  printf '%s: %.1f s until up%s; launcher: %s\n' "$1" "$(awk -v a="$started" -v b="$now" 'BEGIN { print b - a }')" "$build" \
    "$(grep -o 'Majlis is up in [0-9.]* s' "$log")"
  kill -TERM "$(pgrep -f 'local-stack/target/local-stack.jar' | head -1)"
  wait "$pid" || true
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1)"
for i in $(seq 1 "$cold_runs"); do
  rm -rf "$MAJLIS_LOCAL_DATA" local-stack/target/.built
  ./mvnw -q clean
  run_once "cold $i"
done
for i in $(seq 1 "$warm_runs"); do
  run_once "warm $i"
done
rm -rf "$MAJLIS_LOCAL_DATA"

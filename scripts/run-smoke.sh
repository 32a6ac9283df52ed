#!/usr/bin/env bash
# Acceptance check of the embedded run: `bin/anomaly run` with NO arguments (default settings: this host's /proc
# every 5 s, self-training after warm-up) must show scored per-series gauges on http://127.0.0.1:9249/metrics and
# the running job on http://127.0.0.1:8081 within 2 minutes, and stop cleanly on Ctrl-C (SIGINT).
# Needs the built jar (mvn package). Prints the time to the first scored gauge. Used by .ci/run.
set -euo pipefail
# Ctrl-C is SIGINT, and a process started with SIGINT ignored keeps ignoring it: the JVM then installs no handler,
# kill -INT does nothing and the run goes on. A non-interactive shell starts its background commands that way. Job
# control (set -m) spares the run that only if this script did not itself inherit SIGINT ignored, which it does
# when something above it was started in the background (`.ci/run >log 2>&1 &`); bash cannot reset a signal ignored
# on entry. So the run is started through `env --default-signal=INT` (coreutils 8.31+), and checked before the
# Ctrl-C.
set -m
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=lib/run-checks.sh
source "$root/scripts/lib/run-checks.sh"
logdir="$(mktemp -d)"
log="$logdir/run.log"
limit=${RUN_SMOKE_LIMIT_SECONDS:-120}
# A java.io.tmpdir of its own, to see what the run leaves there after Ctrl-C: only its checkpoint directory
# (anomaly-detection/) and Flink's shared, empty upload directory may stay; Flink's per-run files (a 21 MB RPC jar,
# the MiniCluster's working directory) must be gone.
tmpdir="$(mktemp -d)"

ANOMALY_JAVA_OPTS="-XX:+UseSerialGC -Xshare:auto -Djava.io.tmpdir=$tmpdir" \
  env --default-signal=INT "$root/bin/anomaly" run >"$log" 2>&1 &
pid=$!
cleanup() {
  terminate "$pid"
  rm -rf "$logdir" "$tmpdir"
}
trap cleanup EXIT
start=$(date +%s)
prefix=flink_taskmanager_job_task_operator_anomaly_detector_feature_instance_series
metric=${prefix}_score
scored=""
while (( $(date +%s) - start < limit )); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "run-smoke: bin/anomaly run exited early:" >&2; cat "$log" >&2; exit 1
  fi
  # A scored series: its warming_up gauge is 0 and its score a number.
  body=$(curl -sf --max-time 5 http://127.0.0.1:9249/metrics 2>/dev/null || true)
  if grep -q "^${prefix}_warming_up{.* 0\.0$" <<<"$body"; then
    scored=$(grep "^$metric{" <<<"$body" | grep -v ' NaN$' | head -1 || true)
  fi
  [[ -n "$scored" ]] && break
  sleep 2
done
elapsed=$(( $(date +%s) - start ))
if [[ -z "$scored" ]]; then
  echo "run-smoke: no scored per-series gauge on :9249/metrics after ${limit}s" >&2; tail -30 "$log" >&2; exit 1
fi
echo "run-smoke: first scored gauge after ${elapsed}s: ${scored:0:160}..."
series=$(curl -sf --max-time 5 http://127.0.0.1:9249/metrics | grep -c "^$metric{" || true)
echo "run-smoke: $series series scored or warming up"
if ! web_ui_shows_job_running 8081; then
  echo "run-smoke: the Web UI on :8081 does not show anomaly-detection RUNNING" >&2; exit 1
fi
echo "run-smoke: Web UI on :8081 shows anomaly-detection RUNNING"
if ! why=$(stop_with_ctrl_c "$pid"); then
  echo "run-smoke: $why" >&2; exit 1
fi
wait "$pid" || true
left=$(find "$tmpdir" -mindepth 1 -maxdepth 1 ! -name anomaly-detection ! -name flink-web-upload -printf '%f\n')
if [[ -n "$left" ]]; then
  echo "run-smoke: bin/anomaly run left in java.io.tmpdir ($tmpdir): $(tr '\n' ' ' <<<"$left")" >&2; exit 1
fi
rm -rf "$tmpdir"
echo "run-smoke: stopped cleanly on Ctrl-C, nothing left in java.io.tmpdir but its checkpoints"

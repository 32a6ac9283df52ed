# Checks of a running `bin/anomaly run` from outside, and its clean-up, shared by scripts/run-smoke.sh and
# scripts/examples-smoke.sh.
# Source it; each function returns non-zero on failure and leaves the reporting (and exiting) to its caller.

# Succeeds once the Flink Web UI on 127.0.0.1:PORT lists the job anomaly-detection as RUNNING. Asked up to 10
# times, a second apart: one slow REST answer on a loaded machine is not a failure.
web_ui_shows_job_running() { # PORT
  local port=$1 attempt
  for attempt in $(seq 1 10); do
    curl -sf --max-time 5 "http://127.0.0.1:$port/jobs/overview" 2>/dev/null | python3 -c '
import json, sys
jobs = json.load(sys.stdin)["jobs"]
assert any(j["name"] == "anomaly-detection" and j["state"] == "RUNNING" for j in jobs), jobs' 2>/dev/null && return 0
    (( attempt < 10 )) && sleep 1
  done
  return 1
}

# Stops process PID with SIGINT, as Ctrl-C does, and waits up to 30 s for it to exit. On failure prints why:
# the process ignores SIGINT (then the JVM installs no handler and kill -INT does nothing), or it is still running.
# Run it in a command substitution to catch the reason: why=$(stop_with_ctrl_c "$pid") || ...
stop_with_ctrl_c() { # PID
  local pid=$1 ignored
  ignored=$(awk '/^SigIgn:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  if [[ -n "$ignored" ]] && (( 0x$ignored & 2 )); then
    echo "bin/anomaly run ignores SIGINT (SigIgn $ignored), so Ctrl-C cannot stop it"
    return 1
  fi
  kill -INT "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  echo "bin/anomaly run did not stop within 30 s of Ctrl-C"
  return 1
}

# Stops the processes PID... for good, on a script's exit: SIGTERM first, so that each run removes its own per-run
# files, then SIGKILL for whatever is still running 10 s later.
terminate() { # PID...
  local p alive
  (( $# > 0 )) || return 0
  for p in "$@"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    alive=0
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    (( alive )) || break
    sleep 0.5
  done
  for p in "$@"; do kill -9 "$p" 2>/dev/null || true; done
}

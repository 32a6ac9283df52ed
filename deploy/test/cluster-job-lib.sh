# Shared by the deploy/test scripts that run the job on a real Flink cluster (scripts/flink-cluster.sh): e2e-cluster.sh
# and, through kafka-job-lib.sh, fault-kafka-exactly-once.sh, savepoint-upgrade.sh and kafka-broker-restart.sh
# (sourced, not run). It gives them the phase timings, the exit handler, the REST helpers and the job jar.
# Before sourcing, set WORK (the work dir) and export FLINK_CLUSTER_DIR and FLINK_REST_PORT; optionally KEEP_WORK=1
# (the work dir is kept after a pass too; it is always kept after a failure). After sourcing, define stop_all (what
# to stop, also on failure or Ctrl-C) and install the handler: trap on_exit EXIT; trap 'exit 130' INT TERM.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

CLUSTER="$REPO/scripts/flink-cluster.sh"
SVC="$REPO/scripts/services.sh"
JAR="$REPO/job/target/anomaly-job.jar"
REST="http://127.0.0.1:$FLINK_REST_PORT"

T0=$SECONDS
TIMINGS=()
phase_start=$SECONDS
timing() { # timing TEXT: records the phase that just ended
  TIMINGS+=("$(printf '%-60s %4d s' "$1" $((SECONDS - phase_start)))")
  echo "--- $1: $((SECONDS - phase_start)) s (total $((SECONDS - T0)) s)"
  phase_start=$SECONDS
}

on_exit() { # the EXIT trap: the cluster's error lines after a failure, stop_all, the timings after a pass
  local rc=$?
  trap - EXIT INT TERM
  if [ $rc -ne 0 ]; then
    echo "--- FAILED after $((SECONDS - T0)) s (logs and outputs kept in $WORK) ---" >&2
    local f
    for f in "$FLINK_CLUSTER_DIR"/log/jobmanager.log "$FLINK_CLUSTER_DIR"/log/tm-*.log; do
      [ -f "$f" ] || continue
      echo "== $f (ERROR/Exception lines)" >&2
      grep -E 'ERROR|Exception' "$f" | tail -n 8 >&2 || true
    done
  fi
  stop_all
  if [ $rc -eq 0 ]; then
    echo "=== timings"
    local t
    for t in "${TIMINGS[@]}"; do echo "  $t"; done
    echo "  $(printf '%-60s %4d s' total $((SECONDS - T0)))"
    [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
  fi
  exit $rc
}

json() { # json URL PYTHON_EXPR(d): the expression on the JSON at URL, or nothing when it does not answer
  curl -sf --max-time 5 "$1" 2> /dev/null | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" 2> /dev/null || true
}

json_answer() { # json_answer URL PYTHON_EXPR(d): json, asked again for up to 10 s while the REST API gives no answer
  local out i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    out="$(json "$1" "$2")"
    [ -n "$out" ] && break
    sleep 1
  done
  echo "$out"
}

all_tasks_running() { # all_tasks_running JOB_ID: the job is RUNNING and so is each of its tasks
  [ "$(json "$REST/jobs/$1" 'd["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in d["vertices"])')" = True ]
}

wait_running() { # wait_running JOB_ID [TIMEOUT]: until all_tasks_running; fails at once when the job has ended
  local limit="${2:-120}" deadline state
  deadline=$((SECONDS + limit))
  until all_tasks_running "$1"; do
    state="$(json "$REST/jobs/$1" 'd["state"]')"
    case "$state" in FAILED|CANCELED|FINISHED) fail "job $1 is $state (see $FLINK_CLUSTER_DIR/log)" ;; esac
    [ $SECONDS -lt $deadline ] || fail "job $1 not RUNNING with all tasks after $limit s (state '$state')"
    sleep 1
  done
}

build_jar_if_missing() { # builds job/target/anomaly-job.jar (offline first) when it is not there
  [ -f "$JAR" ] && return 0
  echo "building $JAR"
  (cd "$REPO" && { mvn -B -ntp -q -o package -pl models,sources,operators,job -am -DskipTests \
    || mvn -B -ntp -q package -pl models,sources,operators,job -am -DskipTests; }) || fail "building the job jar failed"
  [ -f "$JAR" ] || fail "the build did not produce $JAR"
  timing "build the job jar"
}

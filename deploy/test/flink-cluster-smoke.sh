#!/usr/bin/env bash
# Smoke test of scripts/flink-cluster.sh on a real Flink 2.2.1 standalone cluster (3 JVMs), on its own
# ports and state dir so it can run beside a cluster on the default ports:
#   start -> 2 TaskManagers registered (REST /overview), the Web UI answers, every process' Prometheus
#   reporter serves /metrics (the JobManager's reports 2 TaskManagers, each TaskManager's its own tm_id)
#   -> stop -> no process left, ports free.
# With --with-job it also builds a throwaway job jar in a temp dir (never in the repository), submits it with
# `submit` (Flink's CLI), sees its custom gauge on a TaskManager's reporter, kills TaskManager 1 with
# SIGKILL, starts it again and waits until the job runs again (restarted from its checkpoint), takes a
# savepoint, cancels the job and restarts it from that savepoint.
#
# Usage: deploy/test/flink-cluster-smoke.sh [--with-job]
# Environment: SMOKE_REST_PORT [28081], SMOKE_RPC_PORT [26123], SMOKE_REPORTER_PORTS [29250-29260].
# Takes ~30 s (~90 s with --with-job) on 2 cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WITH_JOB=0
case "${1:-}" in
  --with-job) WITH_JOB=1 ;;
  "") ;;
  *) echo "usage: $0 [--with-job]" >&2; exit 2 ;;
esac

command -v curl >/dev/null || fail "curl is needed"
WORK="$(mktemp -d /tmp/flink-smoke.XXXXXX)"
export FLINK_CLUSTER_DIR="$WORK/cluster"
export FLINK_REST_PORT="${SMOKE_REST_PORT:-28081}"
export FLINK_RPC_PORT="${SMOKE_RPC_PORT:-26123}"
export FLINK_REPORTER_PORTS="${SMOKE_REPORTER_PORTS:-29250-29260}"
CLUSTER="$REPO/scripts/flink-cluster.sh"
REST="http://127.0.0.1:$FLINK_REST_PORT"

on_exit() {
  local rc=$?
  "$CLUSTER" stop >/dev/null 2>&1 || true
  if [ $rc -ne 0 ]; then
    echo "--- last lines of the logs in $FLINK_CLUSTER_DIR/log (kept) ---" >&2
    tail -n 15 "$FLINK_CLUSTER_DIR"/log/*.log >&2 2>/dev/null || true
  else
    rm -rf "$WORK"
  fi
}
trap on_exit EXIT

json() { # json URL PYTHON_EXPR(d): evaluates the expression on the JSON at URL
  curl -sf --max-time 5 "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)"
}

metrics_of() { curl -sf --max-time 5 "http://127.0.0.1:$1/metrics"; }

# contains TEXT PATTERN: grep on a captured text (a `curl | grep -q` pipeline fails under pipefail when
# grep stops reading early and curl gets SIGPIPE).
contains() { grep -q -- "$2" <<< "$1"; }

# --- start ---------------------------------------------------------------------------------------------
t0=$SECONDS
start_out="$("$CLUSTER" start)"
echo "$start_out"
pass "cluster started in $((SECONDS - t0)) s"

[ "$(json "$REST/overview" 'd["taskmanagers"]')" = 2 ] || fail "REST /overview does not show 2 TaskManagers"
[ "$(json "$REST/overview" 'd["slots-total"]')" = 4 ] || fail "REST /overview does not show 4 slots (2 per TaskManager)"
[ "$(json "$REST/taskmanagers" '",".join(sorted(t["id"] for t in d["taskmanagers"]))')" = "tm-1,tm-2" ] \
  || fail "TaskManager ids are not tm-1, tm-2"
pass "2 TaskManagers (tm-1, tm-2) with 2 slots each registered"

contains "$(curl -sf --max-time 5 "$REST/")" '<title>Apache Flink Web Dashboard</title>' || fail "the Web UI does not answer at $REST/"
pass "Web UI answers at $REST/"

# --- Prometheus reporters ------------------------------------------------------------------------------
declare -A PORT=()
while read -r name port; do PORT[$name]="$port"; done < <("$CLUSTER" ports)
[ "$(printf '%s\n' "${PORT[@]}" | sort -u | wc -l)" = 3 ] || fail "expected 3 distinct reporter ports: $("$CLUSTER" ports | tr '\n' ' ')"
[ "$(echo "$start_out" | grep -c '^tm-[12] [0-9]')" = 2 ] || fail "start did not print both TaskManagers' ports"
contains "$(metrics_of "${PORT[jobmanager]}")" '^flink_jobmanager_numRegisteredTaskManagers{.*} 2\.0$' \
  || fail "the JobManager's reporter (port ${PORT[jobmanager]}) does not report 2 registered TaskManagers"
for n in 1 2; do
  contains "$(metrics_of "${PORT[tm-$n]}")" "^flink_taskmanager_Status_JVM_CPU_Load{.*tm_id=\"tm-$n\"" \
    || fail "tm-$n's reporter (port ${PORT[tm-$n]}) does not serve its metrics"
done
pass "reporters: jobmanager ${PORT[jobmanager]}, tm-1 ${PORT[tm-1]}, tm-2 ${PORT[tm-2]} serve /metrics"

"$CLUSTER" status >/dev/null || fail "status exits non-zero on a running cluster"

# --- optional: a real job through the CLI, TaskManager loss, savepoint ---------------------------------
job_state() { json "$REST/jobs/$1" 'd["state"] + " " + ",".join(sorted(set(v["status"] for v in d["vertices"])))'; }

wait_running() { # job_id timeout_s
  local deadline=$((SECONDS + $2)) state=""
  while [ $SECONDS -lt $deadline ]; do
    state="$(job_state "$1" 2>/dev/null || true)"
    [ "$state" = "RUNNING RUNNING" ] && return 0
    sleep 1
  done
  fail "job $1 not running after $2 s (last state: $state)"
}

if [ $WITH_JOB = 1 ]; then
  mkdir -p "$WORK/job/src/smoke" "$WORK/job/classes"
  cat > "$WORK/job/src/smoke/SmokeJob.java" <<'JAVA'
package smoke;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** Throwaway job of the cluster smoke test: a rate-limited counter with one custom gauge. */
public class SmokeJob {
  public static void main(String[] args) throws Exception {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromSource(new DataGeneratorSource<>(i -> i, Long.MAX_VALUE, RateLimiterStrategy.perSecond(50), Types.LONG),
            WatermarkStrategy.noWatermarks(), "numbers")
        .keyBy(i -> i % 8)
        .map(new RichMapFunction<Long, Long>() {
          private transient long last;
          @Override public void open(OpenContext ctx) {
            getRuntimeContext().getMetricGroup().addGroup("smoke").gauge("last", () -> last);
          }
          @Override public Long map(Long i) { last = i; return i; }
        }).name("smoke-map")
        .sinkTo(new DiscardingSink<>());
    env.execute("flink-cluster-smoke");
  }
}
JAVA
  lib_cp="$(ls "$REPO"/deploy/local/flink/target/lib/*.jar | tr '\n' ':')"
  javac -nowarn -d "$WORK/job/classes" -cp "$lib_cp" "$WORK/job/src/smoke/SmokeJob.java" || fail "compiling the smoke job"
  printf 'Main-Class: smoke.SmokeJob\n' > "$WORK/job/manifest"
  jar cfm "$WORK/job/smoke.jar" "$WORK/job/manifest" -C "$WORK/job/classes" . || fail "packaging the smoke job"

  job="$("$CLUSTER" submit "$WORK/job/smoke.jar" 2>/dev/null | tail -n 1)"
  [[ "$job" =~ ^[0-9a-f]{32}$ ]] || fail "submit did not print a JobID: $job"
  wait_running "$job" 60
  contains "$("$CLUSTER" list)" "^$job RUNNING flink-cluster-smoke$" || fail "list does not show the job running"
  pass "submitted job $job with Flink's CLI; RUNNING"

  found=""
  for i in $(seq 1 20); do
    for n in 1 2; do
      contains "$(metrics_of "${PORT[tm-$n]}")" '^flink_taskmanager_job_task_operator_smoke_last{' && found="tm-$n"
    done
    [ -n "$found" ] && break
    sleep 1
  done
  [ -n "$found" ] || fail "the job's custom gauge does not show on any TaskManager reporter"
  pass "the job's gauge flink_taskmanager_job_task_operator_smoke_last is served by $found"

  # A checkpoint first, so the restart has one to restore.
  for i in $(seq 1 40); do
    [ "$(json "$REST/jobs/$job/checkpoints" 'd["counts"]["completed"]')" -ge 1 ] && break
    sleep 1
  done
  [ "$(json "$REST/jobs/$job/checkpoints" 'd["counts"]["completed"]')" -ge 1 ] || fail "no completed checkpoint"

  "$CLUSTER" kill-tm 1 2>/dev/null
  t1=$SECONDS
  "$CLUSTER" start-tm 1 >/dev/null 2>&1 || fail "start-tm 1"
  wait_running "$job" 90
  restarts="$(metrics_of "${PORT[jobmanager]}" | sed -n 's/^flink_jobmanager_job_numRestarts{.*} \([0-9.]*\)$/\1/p')"
  [ "${restarts%.*}" -ge 1 ] || fail "numRestarts is ${restarts:-missing} after losing a TaskManager"
  restored="$(json "$REST/jobs/$job/checkpoints" 'd["latest"]["restored"] is not None')"
  [ "$restored" = True ] || fail "the job did not restore from a checkpoint after losing tm-1"
  pass "kill -9 tm-1, start-tm 1: job RUNNING again after $((SECONDS - t1)) s, $restarts restarts, restored from a checkpoint"

  sp="$("$CLUSTER" savepoint "$job" "$WORK/savepoints" 2>/dev/null)"
  [ -n "$sp" ] && [ -f "${sp#file:}/_metadata" ] || fail "savepoint did not print the path of a savepoint: '$sp'"
  "$CLUSTER" cancel "$job" >/dev/null 2>&1 || fail "cancel"
  [ "$(json "$REST/jobs/$job" 'd["state"]')" = CANCELED ] || fail "the job is not CANCELED after cancel"
  job2="$("$CLUSTER" run-from-savepoint "$sp" "$WORK/job/smoke.jar" 2>/dev/null | tail -n 1)"
  wait_running "$job2" 60
  [ "$(json "$REST/jobs/$job2/checkpoints" 'd["latest"]["restored"]["is_savepoint"]')" = True ] \
    || fail "the new job did not start from the savepoint"
  pass "savepoint $sp, cancel, run-from-savepoint: job $job2 RUNNING from the savepoint"
fi

# --- stop ----------------------------------------------------------------------------------------------
pids="$(cat "$FLINK_CLUSTER_DIR"/pid/*.pid)"
"$CLUSTER" stop 2>/dev/null
for pid in $pids; do
  # || true: a process already reaped has no /proc entry, sed fails, and under pipefail + set -e the
  # assignment would end the script (exit 2, no message).
  state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1 || true)"
  if [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]; then
    fail "process $pid still running after stop"
  fi
done
if (exec 3<>"/dev/tcp/127.0.0.1/$FLINK_REST_PORT") 2>/dev/null; then fail "REST port $FLINK_REST_PORT still open after stop"; fi
if "$CLUSTER" status >/dev/null; then fail "status exits 0 on a stopped cluster"; fi
pass "stopped: no process left, REST port free"

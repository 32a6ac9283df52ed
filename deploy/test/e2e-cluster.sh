#!/usr/bin/env bash
# End-to-end test of the anomaly-detection job on a real Flink 2.2.1 standalone cluster (1 JobManager +
# 2 TaskManagers, separate JVMs) with the real local services, including the loss of a TaskManager:
#
#   1. builds job/target/anomaly-job.jar when it is missing
#   2. scripts/services.sh start node-exporter victoriametrics prometheus   (Prometheus runs the product's
#      deploy/prometheus/prometheus.yml: Flink's reporters renamed to anomaly_detector_*, the alert rules)
#   3. scripts/flink-cluster.sh start
#   4. writes a job config: VictoriaMetrics source reading the node-exporter's cpu and memory through PromQL
#      (fetch-interval 5s, warmup.samples 16, look-back 2m), write-back to VictoriaMetrics, RocksDB with
#      checkpoints every 5 s under the cluster's state dir; submits it with Flink's CLI (flink-cluster.sh submit)
#   5. waits until Prometheus has every series scored (anomaly_detector_warming_up == 0, _score finite) and
#      VictoriaMetrics has the write-back (~80 s: VictoriaMetrics starts empty, the first fit needs 16 samples)
#   6. runs EVERY PromQL expression of deploy/grafana/dashboards/anomaly-detection.json and of
#      deploy/prometheus/rules/*.rules.yml against Prometheus / VictoriaMetrics and requires data
#      (deploy/test/dashboard_queries.py: what may legitimately be empty is listed there, with the reason)
#   7. kill -9 TaskManager 1, starts it again, and requires within E2E_RECOVERY_TIMEOUT s (60) of its
#      registration: the job RUNNING with all tasks running, REST /jobs/<id>/checkpoints showing a checkpoint
#      restored after the kill, and every series' gauges back on a TaskManager's /metrics, scored (not warming
#      up again: the models came back from the checkpoint)
#   8. stops the cluster and the services (also on failure or Ctrl-C: trap), prints the timings.
#
# Usage: deploy/test/e2e-cluster.sh          (exit 0 = passed; non-zero with a "FAIL: ..." line otherwise)
# Everything runs on its own ports and state dir, so it can run beside the default-port services and cluster:
#   E2E_DIR [<repo>/target/e2e-cluster]  work dir (services, cluster state, logs; removed after a pass
#                                        unless E2E_KEEP=1, kept after a failure)
#   E2E_REST_PORT [24081] E2E_RPC_PORT [22123] E2E_REPORTER_PORTS [25250-25260]   Flink
#   E2E_VM_PORT [24428] E2E_NODE_EXPORTER_PORT [25100] E2E_PROMETHEUS_PORT [25090]  services
#   E2E_READY_TIMEOUT [240] seconds from submission until every series is scored
#   E2E_RECOVERY_TIMEOUT [60] seconds from the replacement TaskManager's registration until recovered
# Takes ~2.5 min on 2 cores (plus the jar build, ~1.5 min, when job/target/anomaly-job.jar is missing).
set -euo pipefail
WORK="${E2E_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/e2e-cluster}"
KEEP_WORK="${E2E_KEEP:-${KEEP_WORK:-0}}"
export FLINK_CLUSTER_DIR="$WORK/flink"
export FLINK_REST_PORT="${E2E_REST_PORT:-24081}"
export FLINK_RPC_PORT="${E2E_RPC_PORT:-22123}"
export FLINK_REPORTER_PORTS="${E2E_REPORTER_PORTS:-25250-25260}"
export ANOMALY_SERVICES_DIR="$WORK/services"
export ANOMALY_VM_PORT="${E2E_VM_PORT:-24428}"
export ANOMALY_NODE_EXPORTER_PORT="${E2E_NODE_EXPORTER_PORT:-25100}"
export ANOMALY_PROMETHEUS_PORT="${E2E_PROMETHEUS_PORT:-25090}"
export ANOMALY_FLINK_REPORTER_PORTS="$FLINK_REPORTER_PORTS"
READY_TIMEOUT="${E2E_READY_TIMEOUT:-240}"
RECOVERY_TIMEOUT="${E2E_RECOVERY_TIMEOUT:-60}"
SERVICES=(node-exporter victoriametrics prometheus)
source "$(dirname "${BASH_SOURCE[0]}")/cluster-job-lib.sh"
PROM="http://127.0.0.1:$ANOMALY_PROMETHEUS_PORT"
VM="http://127.0.0.1:$ANOMALY_VM_PORT"

stop_all() {
  "$CLUSTER" stop > /dev/null 2>&1 || true
  "$SVC" stop "${SERVICES[@]}" > /dev/null 2>&1 || true
}

trap on_exit EXIT
trap 'exit 130' INT TERM

promql() { # promql BASE_URL EXPR: the values of an instant query, one per line
  curl -sf --max-time 10 "$1/api/v1/query" --data-urlencode "query=$2" 2>/dev/null \
    | python3 -c 'import json,sys; [print(s["value"][1]) for s in json.load(sys.stdin)["data"]["result"]]' 2>/dev/null || true
}

# ---- 0: clean slate (a previous run killed hard may have left processes or state) --------------------------
command -v curl > /dev/null || fail "curl is needed"
command -v python3 > /dev/null || fail "python3 is needed"
stop_all
rm -rf "$WORK"
mkdir -p "$WORK"

# ---- 1: the job jar ------------------------------------------------------------------------------------------
build_jar_if_missing

# ---- 2, 3: services and cluster ------------------------------------------------------------------------------
"$SVC" start "${SERVICES[@]}" || fail "scripts/services.sh start ${SERVICES[*]} failed"
grep -q anomaly_detector_ "$ANOMALY_SERVICES_DIR/prometheus/prometheus.yml" \
  || fail "the services' Prometheus does not run deploy/prometheus/prometheus.yml (no anomaly_detector_ renaming)"
SERVICES_UP=$SECONDS
timing "services start (node-exporter, VictoriaMetrics, Prometheus)"
"$CLUSTER" start || fail "scripts/flink-cluster.sh start failed"
timing "Flink cluster start (JobManager + 2 TaskManagers)"

# ---- 4: config and submission --------------------------------------------------------------------------------
CONFIG="$WORK/job.yaml"
cat > "$CONFIG" << EOF
# written by deploy/test/e2e-cluster.sh
fetch-interval: 5s
warmup:
  samples: 16               # the SARIMA fit's minimum (a smaller value waits for 16 anyway)
features:
  cpu:
    query: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m])))'
  memory:
    query: '100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)'
source:
  type: victoriametrics
  victoriametrics:
    url: $VM
    step: 5s
    lag: 5s
    look-back: 2m
sinks:
  log:
    enabled: true
  victoriametrics:
    enabled: true
    url: $VM
flink:
  checkpoint-interval: 5s
  state-backend: rocksdb
  checkpoint-dir: file://$FLINK_CLUSTER_DIR/checkpoints/e2e
EOF
# The jar's Main-Class is the bin/anomaly CLI: name the cluster entry point.
JOB_ID="$("$CLUSTER" submit "$JAR" --config "$CONFIG")" \
  || fail "submitting the job failed"
[[ "$JOB_ID" =~ ^[0-9a-f]{32}$ ]] || fail "no JobID from submit: '$JOB_ID'"
echo "job $JOB_ID submitted"
SUBMITTED=$SECONDS

wait_running "$JOB_ID" 120
[ "$(json "$REST/jobs/$JOB_ID" 'd["name"]')" = anomaly-detection ] || fail "the job is not named anomaly-detection"
timing "submit -> job and all tasks RUNNING"

# ---- 5: scored series in Prometheus, write-back in VictoriaMetrics ---------------------------------------------
FEATURES=2
deadline=$((SUBMITTED + READY_TIMEOUT))
while :; do
  scored="$(promql "$PROM" 'count(anomaly_detector_warming_up == 0 and on (series) (anomaly_detector_score > -Inf))')"
  written="$(promql "$VM" 'count(count by (feature) (anomaly_detector_score))')"
  [ "${scored:-0}" -ge $FEATURES ] && [ "${written:-0}" -ge $FEATURES ] && break
  [ $SECONDS -lt $deadline ] || fail "after ${READY_TIMEOUT}s: $((${scored:-0})) scored series in Prometheus and \
write-back for $((${written:-0})) features in VictoriaMetrics (want $FEATURES each; warming_up: \
$(promql "$PROM" 'anomaly_detector_warming_up' | tr '\n' ' '))"
  sleep 2
done
echo "scored in Prometheus: $scored series; write-back in VictoriaMetrics: $written features"
timing "job RUNNING -> every series scored, in Prometheus and VictoriaMetrics"
echo "(services up -> scored: $((SECONDS - SERVICES_UP)) s)"

# ---- 6: every dashboard and rule expression ------------------------------------------------------------------
python3 "$REPO/deploy/test/dashboard_queries.py" check --prometheus "$PROM" --victoriametrics "$VM" --wait 60 \
  --var fetch_interval=5s \
  || fail "dashboard / alert rule expressions without data (report above)"
timing "every dashboard and alert-rule expression has data"

# ---- 7: kill -9 a TaskManager --------------------------------------------------------------------------------
SERIES="$(promql "$PROM" 'count(anomaly_detector_score)')"
completed="$(json "$REST/jobs/$JOB_ID/checkpoints" 'd["counts"]["completed"]')"
[ "${completed:-0}" -ge 1 ] || fail "no completed checkpoint before the kill (counts: $(json "$REST/jobs/$JOB_ID/checkpoints" 'd["counts"]'))"
echo "before the kill: $completed completed checkpoints, $SERIES series scored"
KILL_MS="$(date +%s%3N)"
KILLED=$SECONDS
"$CLUSTER" kill-tm 1 || fail "kill-tm 1 failed"
"$CLUSTER" start-tm 1 || fail "start-tm 1 failed"
REGISTERED=$SECONDS
timing "kill -9 tm-1, replacement registered"

# Gauges of every series on the TaskManagers' reporters, scored and not warming up (state restored).
tm_gauges_ok() {
  local name port body scored=0 warming=0
  while read -r name port; do
    case "$name" in tm-*) ;; *) continue ;; esac
    body="$(curl -sf --max-time 5 "http://127.0.0.1:$port/metrics" 2>/dev/null)" || continue
    scored=$((scored + $(grep -E '^flink_taskmanager_job_task_operator_anomaly_detector_feature_instance_series_score\{' <<< "$body" \
      | grep -cvE ' (NaN|-?Inf)$' || true)))
    warming=$((warming + $(grep -cE '^flink_taskmanager_job_task_operator_anomaly_detector_feature_instance_series_warming_up\{.* 1\.0$' <<< "$body" || true)))
  done < <("$CLUSTER" ports)
  TM_SCORED=$scored
  TM_WARMING=$warming
  [ "$scored" -ge "$SERIES" ] && [ "$warming" -eq 0 ]
}
restored_after_kill() {
  [ "$(json "$REST/jobs/$JOB_ID/checkpoints" \
    "(d['latest'].get('restored') or {}).get('restore_timestamp', 0) >= $KILL_MS")" = True ]
}
deadline=$((REGISTERED + RECOVERY_TIMEOUT))
running_at="" restored_at="" gauges_at=""
while :; do
  # In this order: until the JobManager notices the loss, the old attempt still looks RUNNING and its
  # gauges are still on the surviving TaskManager.
  [ -n "$restored_at" ] || { restored_after_kill && restored_at=$SECONDS; } || true
  if [ -n "$restored_at" ] && [ -z "$running_at" ]; then all_tasks_running "$JOB_ID" && running_at=$SECONDS || true; fi
  if [ -n "$running_at" ] && [ -z "$gauges_at" ]; then tm_gauges_ok && gauges_at=$SECONDS || true; fi
  [ -n "$running_at" ] && [ -n "$restored_at" ] && [ -n "$gauges_at" ] && break
  if [ $SECONDS -ge $deadline ]; then
    fail "not recovered ${RECOVERY_TIMEOUT}s after the replacement TaskManager registered: job state \
'$(json "$REST/jobs/$JOB_ID" 'd["state"]')', all tasks running: ${running_at:+yes}${running_at:-no}, \
restored checkpoint after the kill: ${restored_at:+yes}${restored_at:-no} ($(json "$REST/jobs/$JOB_ID/checkpoints" 'd["latest"].get("restored")')), \
scored series on the TaskManagers: ${TM_SCORED:-0}/$SERIES, warming up again: ${TM_WARMING:-0}"
  fi
  sleep 1
done
restored="$(json "$REST/jobs/$JOB_ID/checkpoints" \
  '"checkpoint %s (restored %d ms after the kill)" % (d["latest"]["restored"]["id"], d["latest"]["restored"]["restore_timestamp"] - '"$KILL_MS"')')"
restarts="$(json "$REST/jobs/$JOB_ID/checkpoints" 'd["counts"]["restored"]')"
echo "recovered: $restored; restores so far: $restarts; $TM_SCORED series scored on the TaskManagers, none warming up"
echo "  after the kill: all tasks RUNNING $((running_at - KILLED)) s, restored $((restored_at - KILLED)) s, gauges back $((gauges_at - KILLED)) s"
timing "replacement registered -> RUNNING, restored, gauges back"

pass "e2e cluster test: job $JOB_ID scored $SERIES series, every dashboard/rule query had data, recovered from kill -9 of a TaskManager"

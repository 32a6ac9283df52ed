#!/usr/bin/env bash
# Fault test: the Kafka broker stops and comes back while the job reads from it and writes to it exactly-once, on a
# real Flink 2.2.1 cluster and a real (single) Kafka broker.
#
#   1. starts Kafka and the cluster (own ports), creates the topics samples, events-restart, events-reference
#   2. restart run: Kafka json source -> detection (sarima, RocksDB, checkpoints every 2 s) -> exactly-once Kafka
#      sink; the first half of the fixed input of kafka_fault_data.py (6 series x 360 samples) is in the topic; once a
#      quarter of the whole output is committed (the job still consuming and committing), the broker is stopped
#      (SIGTERM, scripts/services.sh stop kafka), stays down BROKER_DOWN seconds and is started again on the same data
#      directory; then the second half is produced; the job must be RUNNING again and complete its output
#   3. reference: the same job, uninterrupted, on the complete input, into events-reference
#   4. read_committed, per series: the restart run's output == the reference, event by event (zero lost, zero
#      duplicated, all equal); the reference itself must hold exactly the events the input implies
#
# Usage: deploy/test/kafka-broker-restart.sh    (exit 0 = passed; "FAIL: ..." and non-zero otherwise)
#   RESTART_DIR [<repo>/target/kafka-broker-restart]  work dir (removed after a pass unless KEEP_WORK=1)
#   ports: RESTART_REST_PORT [24381] RESTART_RPC_PORT [22423] RESTART_REPORTER_PORTS [25550-25560]
#          RESTART_KAFKA_PORT [25392] RESTART_KAFKA_CONTROLLER_PORT [25393]
#   BROKER_DOWN [10] seconds the broker stays down
# Takes ~3 min on 2 cores.
set -euo pipefail
WORK="${RESTART_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/kafka-broker-restart}"
LIB_REST_PORT="${RESTART_REST_PORT:-24381}"
LIB_RPC_PORT="${RESTART_RPC_PORT:-22423}"
LIB_REPORTER_PORTS="${RESTART_REPORTER_PORTS:-25550-25560}"
LIB_KAFKA_PORT="${RESTART_KAFKA_PORT:-25392}"
LIB_KAFKA_CONTROLLER_PORT="${RESTART_KAFKA_CONTROLLER_PORT:-25393}"
source "$(dirname "${BASH_SOURCE[0]}")/kafka-job-lib.sh"
DOWN="${BROKER_DOWN:-10}"
trap on_exit EXIT
trap 'exit 130' INT TERM

setup events-restart events-reference

# ---- 2: restart run --------------------------------------------------------------------------------------------
write_config restart events-restart
JOB="$(job_id_of "$("$CLUSTER" submit "$JAR" --config "$WORK/restart.yaml")")"
wait_running "$JOB"
produce_half first
echo "restart run: job $JOB RUNNING; the first half of the input produced"
n="$(wait_committed_at_least events-restart $((EXPECTED / 4)) 180)"
echo "stopping the broker with $n of $EXPECTED events committed"
"$SVC" stop kafka || fail "scripts/services.sh stop kafka failed"
STOP_MS="$(date +%s%3N)"
sleep "$DOWN"
echo "job state with the broker down for $DOWN s: $(json "$REST/jobs/$JOB" 'd["state"]'), checkpoints $(json "$REST/jobs/$JOB/checkpoints" 'd["counts"]')"
"$SVC" start kafka || fail "scripts/services.sh start kafka failed"
echo "broker back after $(( ($(date +%s%3N) - STOP_MS) / 1000 )) s"
timing "restart run: broker stopped, down ${DOWN} s, started again"
wait_running "$JOB" 180
produce_half second
wait_complete events-restart "$EXPECTED" 240
echo "restart run: $(json "$REST/jobs/$JOB/checkpoints" '"checkpoints %s" % d["counts"]'); restores from a checkpoint: $(json "$REST/jobs/$JOB/checkpoints" 'd["counts"]["restored"]')"
"$CLUSTER" cancel "$JOB" > /dev/null 2>&1 || fail "cancelling the restart run failed"
timing "restart run: broker back -> output complete"

# ---- 3, 4: reference and verdict --------------------------------------------------------------------------------
reference_run reference events-reference
dump events-reference "$WORK/reference.txt"
dump events-restart "$WORK/restart.txt"
python3 "$DATA" compare "$WORK/reference.txt" "$WORK/restart.txt" \
  || fail "the output across the broker restart differs from the uninterrupted run (see above)"
timing "compare"
pass "Kafka broker stopped and restarted mid-run: per series the same events as an uninterrupted run"

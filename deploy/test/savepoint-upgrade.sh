#!/usr/bin/env bash
# Savepoint upgrade test: a job stopped with a savepoint and resumed by a DIFFERENT build of the job gives exactly the
# output of an uninterrupted run, on a real Flink 2.2.1 cluster and a real Kafka broker.
#
#   1. builds job/target/anomaly-job.jar (build A) when it is missing, and build B: a copy of it plus
#      deploy/test/upgrade/UpgradedStreamingJob.java (compiled here) as its Main-Class - the same job with one more,
#      stateless operator (a counting map between the source and the keyed detection, uid upgrade-pass-through), so
#      B's job graph and operator chains differ from A's while every stateful operator keeps its uid
#   2. starts Kafka and the cluster (own ports), creates the topics samples, events-upgrade, events-reference
#   3. build A: Kafka json source -> detection (sarima, RocksDB, checkpoints every 2 s) -> exactly-once Kafka sink;
#      the first half of the fixed input of kafka_fault_data.py (6 series x 360 samples) is in the topic; once at
#      least a quarter of the whole output is committed (usually all of the first half by then: output becomes
#      visible only at checkpoints), `flink stop --savepointPath`: the savepoint holds every series' model, filter and
#      last sample (pending behind the watermark), the source offsets and the sink's transactions
#   4. the second half of the input is produced; build B from that savepoint (`flink run -s`): requires B's vertices
#      to include the added operator and its checkpoint statistics to show the restore from that savepoint; waits
#      until the output is complete
#   5. reference: build A, uninterrupted, on the complete input, into events-reference
#   6. read_committed, per series: A's output before the stop + B's after it == the reference, event by event (zero
#      lost, zero duplicated, all equal); the reference itself must hold exactly the events the input implies
#
# Usage: deploy/test/savepoint-upgrade.sh    (exit 0 = passed; "FAIL: ..." and non-zero otherwise)
#   UPGRADE_DIR [<repo>/target/savepoint-upgrade]  work dir (removed after a pass unless KEEP_WORK=1)
#   ports: UPGRADE_REST_PORT [24281] UPGRADE_RPC_PORT [22323] UPGRADE_REPORTER_PORTS [25450-25460]
#          UPGRADE_KAFKA_PORT [25292] UPGRADE_KAFKA_CONTROLLER_PORT [25293]
# Takes ~5 min on 2 cores shared with other work (~40 s of it assembling build B's 177 MB jar).
set -euo pipefail
WORK="${UPGRADE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/savepoint-upgrade}"
LIB_REST_PORT="${UPGRADE_REST_PORT:-24281}"
LIB_RPC_PORT="${UPGRADE_RPC_PORT:-22323}"
LIB_REPORTER_PORTS="${UPGRADE_REPORTER_PORTS:-25450-25460}"
LIB_KAFKA_PORT="${UPGRADE_KAFKA_PORT:-25292}"
LIB_KAFKA_CONTROLLER_PORT="${UPGRADE_KAFKA_CONTROLLER_PORT:-25293}"
source "$(dirname "${BASH_SOURCE[0]}")/kafka-job-lib.sh"
trap on_exit EXIT
trap 'exit 130' INT TERM

setup events-upgrade events-reference

# ---- 1: build B ------------------------------------------------------------------------------------------------
JAR_B="$WORK/anomaly-job-B.jar"
mkdir -p "$WORK/classes-b"
javac -nowarn -d "$WORK/classes-b" -cp "$JAR:$REPO/deploy/local/flink/target/lib/*" \
  "$REPO/deploy/test/upgrade/UpgradedStreamingJob.java" 2> "$WORK/javac.err" \
  || { cat "$WORK/javac.err" >&2; fail "compiling build B's main class failed"; }
cp "$JAR" "$JAR_B"
jar --update --file "$JAR_B" --main-class dev.anomaly.job.graph.UpgradedStreamingJob -C "$WORK/classes-b" . \
  || fail "assembling build B's jar failed"
cmp -s "$JAR" "$JAR_B" && fail "build B is the same jar as build A"
echo "build A: $JAR ($(sha256sum "$JAR" | cut -c1-12)); build B: $JAR_B ($(sha256sum "$JAR_B" | cut -c1-12)), Main-Class $(unzip -p "$JAR_B" META-INF/MANIFEST.MF | sed -n 's/^Main-Class: //p' | tr -d '\r')"
timing "build B (A + a stateless operator)"

# ---- 3: build A, stopped with a savepoint midway ------------------------------------------------------------------
write_config upgrade events-upgrade
A_JOB="$(job_id_of "$("$CLUSTER" submit "$JAR" --config "$WORK/upgrade.yaml")")"
wait_running "$A_JOB"
produce_half first
echo "build A: job $A_JOB RUNNING; the first half of the input produced"
n="$(wait_committed_at_least events-upgrade $((EXPECTED / 4)) 180)"
SAVEPOINT="$("$CLUSTER" stop-with-savepoint "$A_JOB" "$WORK/savepoints")" || fail "stop-with-savepoint failed"
[ -n "$SAVEPOINT" ] || fail "no savepoint path from stop-with-savepoint"
STOPPED_AT="$(committed events-upgrade)"
echo "build A stopped with savepoint $SAVEPOINT: $STOPPED_AT of $EXPECTED events committed"
[ "$STOPPED_AT" -lt $((EXPECTED / 2 - 6)) ] \
  || echo "note: build A had processed all of the first half before the stop (its state still holds each series' last sample)"
[ "$(json_answer "$REST/jobs/$A_JOB" 'd["state"]')" = FINISHED ] || fail "build A is not FINISHED after stop-with-savepoint"
timing "build A: submit -> stop-with-savepoint"

# ---- 4: build B from the savepoint --------------------------------------------------------------------------------
produce_half second
B_JOB="$(job_id_of "$("$CLUSTER" run-from-savepoint "$SAVEPOINT" "$JAR_B" --config "$WORK/upgrade.yaml")")"
wait_running "$B_JOB"
[ "$(json_answer "$REST/jobs/$B_JOB" 'any("build B: counting pass-through" in v["name"] for v in d["vertices"])')" = True ] \
  || fail "build B's job graph has no 'build B: counting pass-through' operator: $(json "$REST/jobs/$B_JOB" '[v["name"] for v in d["vertices"]]')"
restored="$(json_answer "$REST/jobs/$B_JOB/checkpoints" '(d["latest"].get("restored") or {}).get("external_path", "")')"
[ "${restored%/}" = "${SAVEPOINT%/}" ] || [ "${restored%/}" = "file:${SAVEPOINT#file:}" ] \
  || [ "${restored#file:}" = "${SAVEPOINT#file:}" ] \
  || fail "build B was not restored from the savepoint (restored: '$restored', savepoint: '$SAVEPOINT')"
echo "build B: job $B_JOB RUNNING, restored from $restored; vertices: $(json "$REST/jobs/$B_JOB" '" | ".join(v["name"] for v in d["vertices"])')"
wait_complete events-upgrade "$EXPECTED" 180
"$CLUSTER" cancel "$B_JOB" > /dev/null 2>&1 || fail "cancelling build B failed"
timing "build B: from savepoint -> output complete"

# ---- 5, 6: reference and verdict -------------------------------------------------------------------------------
reference_run reference events-reference
dump events-reference "$WORK/reference.txt"
dump events-upgrade "$WORK/upgrade.txt"
python3 "$DATA" compare "$WORK/reference.txt" "$WORK/upgrade.txt" \
  || fail "build A before the savepoint + build B after it differ from the uninterrupted run (see above)"
timing "compare"
pass "savepoint upgrade A -> B (a changed job graph): per series the same events as an uninterrupted run"

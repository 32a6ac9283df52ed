#!/usr/bin/env bash
# A real Flink standalone cluster on this machine, from Maven Central jars (deploy/local/flink/pom.xml):
# one JobManager (StandaloneSessionClusterEntrypoint) and N TaskManagers (TaskManagerRunner), each its
# own JVM, everything on 127.0.0.1. Jobs are submitted with Flink's own CLI (CliFrontend), like `flink run`.
#
# Usage: scripts/flink-cluster.sh COMMAND [ARGS]
#   start                         build the classpath if needed, write the config, start the JobManager and
#                                 the TaskManagers, wait until all are registered, print the ports
#   stop                          stop every process this script started (SIGTERM, then SIGKILL)
#   status                        processes, REST /overview and Prometheus ports; exit 3 when not running
#   ports                         one line per running process: NAME PROMETHEUS_PORT (jobmanager, tm-1, ...)
#   submit JAR [ARGS...]          `flink run -d JAR ARGS`; prints the JobID as the last line on stdout
#   list                          the jobs: JOB_ID STATE NAME, one per line (REST /jobs/overview)
#   cancel JOB_ID                 `flink cancel JOB_ID`
#   savepoint JOB_ID DIR          trigger a savepoint into DIR, the job keeps running; prints its path
#   stop-with-savepoint JOB_ID DIR  stop the job with a savepoint into DIR; prints its path
#   run-from-savepoint SP JAR [ARGS...]  `flink run -d -s SP JAR ARGS`; prints the JobID
#   kill-tm N                     kill -9 TaskManager N (a crash, for failover tests)
#   start-tm N                    start TaskManager N again (same resource id tm-N); waits until registered
#
# Environment (defaults in brackets):
#   FLINK_CLUSTER_DIR      state dir: conf/, log/, pid/, checkpoints/, savepoints/ [$REPO/target/flink-cluster]
#   FLINK_REST_PORT        REST API and Web UI [8081]
#   FLINK_RPC_PORT         JobManager RPC [6123]
#   FLINK_REPORTER_PORTS   Prometheus reporter port range [9250-9260]
#   FLINK_TASKMANAGERS     number of TaskManagers [2]
#   FLINK_JM_PROCESS_SIZE  [768m]    FLINK_TM_PROCESS_SIZE [1536m]
#   FLINK_RUN_OPTS         extra options for `flink run` (e.g. "-p 2") []
#   FLINK_START_TIMEOUT    seconds to wait for registration [180]
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${FLINK_CLUSTER_DIR:-$REPO/target/flink-cluster}"
REST_PORT="${FLINK_REST_PORT:-8081}"
RPC_PORT="${FLINK_RPC_PORT:-6123}"
REPORTER_PORTS="${FLINK_REPORTER_PORTS:-9250-9260}"
TM_COUNT="${FLINK_TASKMANAGERS:-2}"
JM_PROCESS_SIZE="${FLINK_JM_PROCESS_SIZE:-768m}"
TM_PROCESS_SIZE="${FLINK_TM_PROCESS_SIZE:-1536m}"
START_TIMEOUT="${FLINK_START_TIMEOUT:-180}"

CLUSTER_POM="$REPO/deploy/local/flink/pom.xml"
LIB="$REPO/deploy/local/flink/target/lib"
TEMPLATE_DIR="$REPO/deploy/flink"
CONF="$STATE/conf"
LOGS="$STATE/log"
PIDS="$STATE/pid"
REST="http://127.0.0.1:$REST_PORT"

JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner
CLI_CLASS=org.apache.flink.client.cli.CliFrontend
UTILS_CLASS=org.apache.flink.runtime.util.bash.BashJavaUtils
REPORTER_LINE='Started PrometheusReporter HTTP server on port'
REGISTERED_LINE='Successful registration at resource manager'

die() { echo "flink-cluster: $*" >&2; exit 1; }
log() { echo "flink-cluster: $*" >&2; }

is_number() { [[ "$1" =~ ^[0-9]+$ ]]; }

# ---------------------------------------------------------------------------------------------------------
# Classpath and configuration

ensure_lib() {
  # Rebuilt when missing or older than the pom (a version change).
  if [ ! -f "$LIB/.complete" ] || [ "$CLUSTER_POM" -nt "$LIB/.complete" ]; then
    rm -rf "$LIB"
    log "copying the cluster's jars (mvn dependency:copy-dependencies of $CLUSTER_POM)"
    mvn -B -ntp -q -o -f "$CLUSTER_POM" package >&2 \
      || mvn -B -ntp -q -f "$CLUSTER_POM" package >&2 \
      || die "could not resolve the Flink cluster jars (see the Maven output above)"
    touch "$LIB/.complete"
  fi
  ls "$LIB"/flink-runtime-[0-9]*.jar >/dev/null 2>&1 || die "no flink-runtime jar in $LIB"
}

classpath() {
  local jars=("$LIB"/*.jar)
  local IFS=:
  echo "${jars[*]}"
}

write_config() {
  mkdir -p "$CONF" "$LOGS" "$PIDS" "$STATE/checkpoints" "$STATE/savepoints" "$STATE/tmp"
  sed -e "s|\${STATE_DIR}|$STATE|g" \
      -e "s|\${REST_PORT}|$REST_PORT|g" \
      -e "s|\${JM_RPC_PORT}|$RPC_PORT|g" \
      -e "s|\${REPORTER_PORTS}|$REPORTER_PORTS|g" \
      -e "s|\${JM_PROCESS_SIZE}|$JM_PROCESS_SIZE|g" \
      -e "s|\${TM_PROCESS_SIZE}|$TM_PROCESS_SIZE|g" \
      "$TEMPLATE_DIR/config.yaml" > "$CONF/config.yaml"
  if grep -n '^[^#]*\${[A-Z_]*}' "$CONF/config.yaml" >&2; then die "unreplaced placeholder in $CONF/config.yaml"; fi
  cp "$TEMPLATE_DIR/log4j.properties" "$CONF/log4j.properties"
}

# Flink's Java 17 --add-opens/--add-exports list, from env.java.opts.all of the generated config.
java17_opts() {
  sed -n 's/^env\.java\.opts\.all:[[:space:]]*//p' "$CONF/config.yaml"
}

# BashJavaUtils prints two lines prefixed BASH_JAVA_UTILS_EXEC_RESULT: the JVM memory flags, then the
# -D properties the process needs. $1 = GET_JM_RESOURCE_PARAMS | GET_TM_RESOURCE_PARAMS.
RESOURCE_JVM=""
RESOURCE_DYNAMIC=""
resource_params() {
  local out
  out="$(java -cp "$(classpath)" "$UTILS_CLASS" "$1" --configDir "$CONF" 2>&1)" \
    || die "BashJavaUtils $1 failed: $out"
  local results
  results="$(printf '%s\n' "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p')"
  [ "$(printf '%s\n' "$results" | wc -l)" -ge 2 ] || die "BashJavaUtils $1 gave no result: $out"
  RESOURCE_JVM="$(printf '%s\n' "$results" | sed -n 1p)"
  RESOURCE_DYNAMIC="$(printf '%s\n' "$results" | sed -n 2p)"
}

# ---------------------------------------------------------------------------------------------------------
# Processes

pid_of() { cat "$PIDS/$1.pid" 2>/dev/null || true; }

# Alive = exists and is not a zombie (PID 1 reaps orphans late, and kill -0 succeeds on a zombie).
alive() {
  local pid="$1"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local state
  state="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1 || true)"
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Alive and started by this script for NAME: its command line names NAME's log file in our state dir. A pid file
# kept from an earlier run (a failed test keeps its work dir) may name a PID the system has since given to an
# unrelated process; stop and kill-tm must never signal that one. (Not for the check right after a start: until
# nohup has exec'd java, the command line is still this script's.)
ours() { # ours NAME PID
  alive "$2" || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' < "/proc/$2/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *"-Dlog.file=$LOGS/$1.log"* ]]
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_process() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if ours "$name" "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 100); do alive "$pid" || break; sleep 0.2; done
    if alive "$pid"; then
      log "$name (pid $pid) did not stop in 20 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for i in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$PIDS/$name.pid"
}

start_jvm() { # name main-class jvm-flags... -- args...
  local name="$1" main="$2"; shift 2
  local jvm=() args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  args=("$@")
  echo "=== start $(date -u +%FT%TZ)" >> "$LOGS/$name.out"
  # stdin/stdout/stderr detached, so callers reading this script's output are not held open by the JVM.
  nohup java "${jvm[@]}" \
    -Dlog.file="$LOGS/$name.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -classpath "$(classpath)" "$main" "${args[@]}" \
    >> "$LOGS/$name.out" 2>&1 < /dev/null &
  echo $! > "$PIDS/$name.pid"
}

start_jobmanager() {
  resource_params GET_JM_RESOURCE_PARAMS
  # shellcheck disable=SC2206 # word splitting of the flag lists is intended
  local jvm=($RESOURCE_JVM $(java17_opts)) dyn=($RESOURCE_DYNAMIC)
  start_jvm jobmanager "$JM_CLASS" "${jvm[@]}" -- "${dyn[@]}" --configDir "$CONF" --executionMode cluster
  log "started jobmanager (pid $(pid_of jobmanager))"
}

start_taskmanager() {
  local n="$1"
  resource_params GET_TM_RESOURCE_PARAMS
  # shellcheck disable=SC2206
  local jvm=($RESOURCE_JVM $(java17_opts)) dyn=($RESOURCE_DYNAMIC)
  start_jvm "tm-$n" "$TM_CLASS" "${jvm[@]}" -- --configDir "$CONF" "${dyn[@]}" -D "taskmanager.resource-id=tm-$n"
  log "started tm-$n (pid $(pid_of "tm-$n"))"
}

count_lines() { # file pattern: number of matching lines, 0 when the file does not exist
  if [ -f "$1" ]; then grep -c -- "$2" "$1" || true; else echo 0; fi
}

# Prometheus port of a process: the last "Started PrometheusReporter HTTP server on port N" of its log.
reporter_port() { # empty when the reporter bound no port (the log has no such line): never a failure under pipefail
  grep -- "$REPORTER_LINE" "$LOGS/$1.log" 2>/dev/null | tail -n 1 | sed -n 's/.*on port \([0-9]*\).*/\1/p' || true
}

overview() { curl -sf --max-time 3 "$REST/overview" 2>/dev/null; }

registered_taskmanagers() {
  overview | sed -n 's/.*"taskmanagers":\([0-9]*\).*/\1/p'
}

# A start that cannot complete stops what it started, so that the ports are free and a later `start` does not
# report "already running" for a cluster without its TaskManagers.
abort_start() {
  log "$*"
  cmd_stop
  exit 1
}

fail_start() {
  local name="$1"
  log "$name died during start; last lines of $LOGS/$name.log and .out:"
  tail -n 30 "$LOGS/$name.log" >&2 2>/dev/null || true
  tail -n 10 "$LOGS/$name.out" >&2 2>/dev/null || true
  cmd_stop
  exit 1
}

# Wait until TaskManager $1 logged one more registration than $2 (its count before the start).
wait_registered() {
  local name="$1" before="$2" deadline=$((SECONDS + START_TIMEOUT))
  while [ "$(count_lines "$LOGS/$name.log" "$REGISTERED_LINE")" -le "$before" ]; do
    alive "$(pid_of "$name")" || fail_start "$name"
    if [ $SECONDS -ge $deadline ]; then
      # within `start`, the whole cluster goes; within `start-tm`, only the TaskManager that did not register
      [ -n "${STARTING:-}" ] && abort_start "$name not registered after ${START_TIMEOUT}s (see $LOGS/$name.log)"
      stop_process "$name"
      die "$name not registered after ${START_TIMEOUT}s, stopped (see $LOGS/$name.log)"
    fi
    sleep 0.5
  done
  # The reporter starts before registration; the port line is already there.
}

print_ports() { # the running processes only
  local name port
  for name in jobmanager $(tm_names); do
    alive "$(pid_of "$name")" || continue
    port="$(reporter_port "$name")"
    echo "$name ${port:-none}"
  done
}

tm_names() {
  local f
  for f in "$PIDS"/tm-*.pid "$LOGS"/tm-*.log; do
    [ -e "$f" ] || continue
    basename "$f" | sed 's/\.\(pid\|log\)$//'
  done | sort -u -t- -k2,2n
}

# ---------------------------------------------------------------------------------------------------------
# Commands

cmd_start() {
  is_number "$TM_COUNT" && [ "$TM_COUNT" -ge 1 ] || die "FLINK_TASKMANAGERS must be a positive number, got '$TM_COUNT'"
  if ours jobmanager "$(pid_of jobmanager)"; then
    log "already running (jobmanager pid $(pid_of jobmanager)); 'stop' first to restart"
    cmd_status
    return 0
  fi
  port_in_use "$REST_PORT" && die "port $REST_PORT (FLINK_REST_PORT) is in use"
  port_in_use "$RPC_PORT" && die "port $RPC_PORT (FLINK_RPC_PORT) is in use"
  command -v curl >/dev/null || die "curl is needed"
  ensure_lib
  write_config
  local t0=$SECONDS
  # Interrupted while starting (Ctrl-C, a CI timeout's TERM): stop what was started.
  trap 'abort_start "start interrupted"' INT TERM
  STARTING=1
  start_jobmanager
  local deadline=$((SECONDS + START_TIMEOUT))
  until overview >/dev/null; do
    alive "$(pid_of jobmanager)" || fail_start jobmanager
    [ $SECONDS -lt $deadline ] || abort_start "JobManager REST $REST not up after ${START_TIMEOUT}s (see $LOGS/jobmanager.log)"
    sleep 0.5
  done
  log "JobManager REST up at $REST after $((SECONDS - t0)) s"
  local n
  declare -A before=()
  for n in $(seq 1 "$TM_COUNT"); do
    before[$n]="$(count_lines "$LOGS/tm-$n.log" "$REGISTERED_LINE")"
    start_taskmanager "$n"
  done
  for n in $(seq 1 "$TM_COUNT"); do wait_registered "tm-$n" "${before[$n]}"; done
  until [ "$(registered_taskmanagers)" = "$TM_COUNT" ]; do
    [ $SECONDS -lt $deadline ] || abort_start "REST /overview does not show $TM_COUNT TaskManagers after ${START_TIMEOUT}s"
    sleep 0.5
  done
  trap - INT TERM
  STARTING=
  log "$TM_COUNT TaskManagers registered after $((SECONDS - t0)) s; Web UI $REST"
  echo "rest $REST"
  print_ports
}

cmd_stop() {
  local name
  for name in $(tm_names); do stop_process "$name"; done
  stop_process jobmanager
}

cmd_status() {
  local name pid running=0
  for name in jobmanager $(tm_names); do
    pid="$(pid_of "$name")"
    if alive "$pid"; then
      echo "$name running pid=$pid prometheus_port=$(reporter_port "$name")"
      [ "$name" = jobmanager ] && running=1
    else
      echo "$name stopped"
    fi
  done
  local ov
  if ov="$(overview)"; then echo "overview $ov"; else echo "overview unavailable ($REST)"; fi
  [ "$running" = 1 ] || return 3
}

cli() { # runs Flink's CLI against the cluster; output on stdout
  [ -f "$CONF/config.yaml" ] || die "no $CONF/config.yaml: start the cluster first"
  ensure_lib
  # shellcheck disable=SC2046
  FLINK_CONF_DIR="$CONF" java $(java17_opts) \
    -Dlog.file="$LOGS/client.log" \
    -Dlog4j.configurationFile="file:$CONF/log4j.properties" \
    -classpath "$(classpath)" "$CLI_CLASS" "$@"
}

# Absolute path or URI (file:/x, s3://b/x) unchanged; a relative path made absolute.
abs_path() { case "$1" in /* | [a-zA-Z]*:*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

# Runs `flink run -d [extra] JAR ARGS`; CLI output goes to stderr, the JobID alone to stdout.
run_job() {
  local out rc=0
  # shellcheck disable=SC2086
  out="$(cli run -d ${FLINK_RUN_OPTS:-} "$@" 2>&1)" || rc=$?
  printf '%s\n' "$out" >&2
  [ $rc -eq 0 ] || die "flink run failed (exit $rc); client log: $LOGS/client.log"
  local id
  id="$(printf '%s\n' "$out" | sed -n 's/.*JobID \([0-9a-f]\{32\}\).*/\1/p' | tail -n 1)"
  [ -n "$id" ] || die "no JobID in the output of flink run"
  echo "$id"
}

cmd_submit() {
  [ $# -ge 1 ] || die "usage: submit JAR [ARGS...]"
  [ -f "$1" ] || die "no such jar: $1"
  local jar; jar="$(abs_path "$1")"; shift
  run_job "$jar" "$@"
}

cmd_run_from_savepoint() {
  [ $# -ge 2 ] || die "usage: run-from-savepoint SAVEPOINT JAR [ARGS...]"
  local sp; sp="$(abs_path "$1")"
  [ -f "$2" ] || die "no such jar: $2"
  local jar; jar="$(abs_path "$2")"; shift 2
  run_job -s "$sp" "$jar" "$@"
}

cmd_list() {
  local json
  json="$(curl -sf --max-time 5 "$REST/jobs/overview")" || die "REST $REST/jobs/overview does not answer"
  printf '%s' "$json" | python3 -c '
import json, sys
for job in json.load(sys.stdin)["jobs"]:
    print(job["jid"], job["state"], job["name"])'
}

cmd_cancel() {
  [ $# -eq 1 ] || die "usage: cancel JOB_ID"
  cli cancel "$1"
}

savepoint_path() { # extracts "Path: X" from the CLI output
  sed -n 's/.*Savepoint completed\. Path: \([^ ]*\).*/\1/p' | tail -n 1
}

cmd_savepoint() {
  [ $# -eq 2 ] || die "usage: savepoint JOB_ID DIR"
  local dir out rc=0; dir="$(abs_path "$2")"
  out="$(cli savepoint "$1" "$dir" 2>&1)" || rc=$?
  printf '%s\n' "$out" >&2
  [ $rc -eq 0 ] || die "savepoint failed (exit $rc)"
  printf '%s\n' "$out" | savepoint_path
}

cmd_stop_with_savepoint() {
  [ $# -eq 2 ] || die "usage: stop-with-savepoint JOB_ID DIR"
  local dir out rc=0; dir="$(abs_path "$2")"
  out="$(cli stop --savepointPath "$dir" "$1" 2>&1)" || rc=$?
  printf '%s\n' "$out" >&2
  [ $rc -eq 0 ] || die "stop with savepoint failed (exit $rc)"
  printf '%s\n' "$out" | savepoint_path
}

cmd_kill_tm() {
  [ $# -eq 1 ] && is_number "$1" || die "usage: kill-tm N"
  local pid; pid="$(pid_of "tm-$1")"
  ours "tm-$1" "$pid" || die "tm-$1 is not running"
  kill -KILL "$pid"
  local i
  for i in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  rm -f "$PIDS/tm-$1.pid"
  log "killed tm-$1 (pid $pid) with SIGKILL"
}

cmd_start_tm() {
  [ $# -eq 1 ] && is_number "$1" || die "usage: start-tm N"
  alive "$(pid_of jobmanager)" || die "the JobManager is not running: use start"
  alive "$(pid_of "tm-$1")" && die "tm-$1 is already running (pid $(pid_of "tm-$1"))"
  local before; before="$(count_lines "$LOGS/tm-$1.log" "$REGISTERED_LINE")"
  start_taskmanager "$1"
  wait_registered "tm-$1" "$before"
  echo "tm-$1 $(reporter_port "tm-$1")"
}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
command="$1"; shift
case "$command" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  ports) print_ports ;;
  submit) cmd_submit "$@" ;;
  list) cmd_list ;;
  cancel) cmd_cancel "$@" ;;
  savepoint) cmd_savepoint "$@" ;;
  stop-with-savepoint) cmd_stop_with_savepoint "$@" ;;
  run-from-savepoint) cmd_run_from_savepoint "$@" ;;
  kill-tm) cmd_kill_tm "$@" ;;
  start-tm) cmd_start_tm "$@" ;;
  -h|--help|help) usage ;;
  *) log "unknown command: $command"; usage ;;
esac

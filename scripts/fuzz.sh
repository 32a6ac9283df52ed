#!/usr/bin/env bash
# Fuzzes the parsers with Jazzer (jazzer-junit @FuzzTest targets in the sources module), one target after another.
#
# usage: scripts/fuzz.sh [duration] [target...]
#   duration  per target, Jazzer syntax: 30s, 10m, 1h (default 20s: the short CI run)
#   target    json | text | vm (default: all three)
#
# Each run is `JAZZER_FUZZ=1 JAZZER_MAX_DURATION=<duration> mvn test -Dtest=<class>#<method>` on the sources
# module (with -am so the models module is built from this checkout, never taken from ~/.m2). The generated corpus
# grows in sources/.cifuzz-corpus/<class>/<method> (git-ignored, kept between runs); a finding is written by Jazzer
# as src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, which every later `mvn test` replays
# (regression mode): fix the bug and commit the crash file.
# Logs and a summary (executions, coverage, corpus, findings per target) go to target/fuzz/; the exit status is 1
# when any target found something or failed to run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-20s}"
shift || true
TARGETS=("$@")
if [[ ${#TARGETS[@]} -eq 0 ]]; then
  TARGETS=(json text vm)
fi
OUT="$REPO/target/fuzz"
mkdir -p "$OUT"
SUMMARY="$OUT/summary.md"
OFFLINE=()
if [[ "${FUZZ_OFFLINE:-1}" == 1 ]]; then
  OFFLINE=(-o)
fi

test_of() {
  case "$1" in
    json) echo "dev.anomaly.sources.kafka.JsonSampleFuzzTest#jsonSample" ;;
    text) echo "dev.anomaly.sources.prometheus.PrometheusTextParserFuzzTest#textExposition" ;;
    vm) echo "dev.anomaly.sources.victoriametrics.QueryRangeResponseFuzzTest#queryRangeResponse" ;;
    *) echo "fuzz: unknown target '$1' (known: json text vm)" >&2; exit 2 ;;
  esac
}

{
  echo "| target | test | duration | executions | exec/s | coverage (edges) | features | corpus | findings | result |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} > "$SUMMARY"

status=0
for t in "${TARGETS[@]}"; do
  test="$(test_of "$t")"
  log="$OUT/$t.log"
  echo "fuzz: $t ($test) for $DURATION; log $log" >&2
  start=$(date +%s)
  set +e
  (cd "$REPO" && JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$DURATION" mvn -B -ntp "${OFFLINE[@]}" -q -pl sources -am test \
      -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false) > "$log" 2>&1
  rc=$?
  set -e
  took=$(( $(date +%s) - start ))
  # libFuzzer's last status line: "#N <event> cov: C ft: F corp: K/S ... exec/s: E ..."; "Done N runs in S second(s)".
  last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
  runs="$(grep -oE 'Done [0-9]+ runs' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)"
  [[ -n "$runs" ]] || runs="$(sed -nE 's/^#([0-9]+).*/\1/p' <<< "$last")"
  cov="$(grep -oE 'cov: [0-9]+' <<< "$last" | grep -oE '[0-9]+' || true)"
  ft="$(grep -oE 'ft: [0-9]+' <<< "$last" | grep -oE '[0-9]+' || true)"
  corp="$(grep -oE 'corp: [0-9]+/[0-9a-zA-Z]+' <<< "$last" | cut -d' ' -f2 || true)"
  eps="$(grep -oE 'exec/s: [0-9]+' <<< "$last" | grep -oE '[0-9]+' || true)"
  findings="$(grep -c '^DEDUP_TOKEN' "$log" || true)"
  if [[ $rc -eq 0 && ( -z "$runs" || "$runs" == 0 ) ]]; then
    # Maven passed but libFuzzer never ran (a renamed target matches no test, and failIfNoSpecifiedTests is off)
    result="FAILED (no fuzzing executions in the log)"
    status=1
  elif [[ $rc -eq 0 ]]; then
    result="passed"
  else
    result="FAILED (exit $rc)"
    status=1
  fi
  echo "| $t | ${test#dev.anomaly.sources.} | $DURATION (wall ${took}s) | ${runs:-?} | ${eps:-?} | ${cov:-?} | ${ft:-?} | ${corp:-?} | $findings | $result |" >> "$SUMMARY"
  echo "fuzz: $t: ${runs:-?} executions, cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}, findings $findings: $result" >&2
done
cat "$SUMMARY"
exit $status

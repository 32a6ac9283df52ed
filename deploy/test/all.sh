#!/usr/bin/env bash
# All static checks of deploy/ (no services started, ~1 min): called by CI.
#   prometheus-check.sh  promtool check config / check rules / test rules (alert unit tests)
#   compose-check.sh     docker-compose config -q + mounts, scrape targets, job command
#   yaml-check.sh        every YAML parses; Prometheus, compose and k8s agree; FlinkDeployment shape
#   GrafanaDashboardTest the dashboard's structure, and every query parsed by promtool (JUnit, via Maven)
# Missing tools (promtool, docker-compose, PyYAML) are installed with apt (--no-install-recommends).
# DEPLOY_SKIP_MAVEN=1 skips the JUnit part (when the caller runs `mvn verify` itself with promtool present).
# The cluster smoke test starts real JVMs and is separate: deploy/test/flink-cluster-smoke.sh [--with-job].
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/common.sh"

"$here/prometheus-check.sh"
"$here/compose-check.sh"
"$here/yaml-check.sh"

if [ "${DEPLOY_SKIP_MAVEN:-0}" != 1 ]; then
  need_command promtool prometheus
  cd "$REPO"
  mvn -B -ntp -q -pl job -am test -Dtest=GrafanaDashboardTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Danomaly.require.promtool=true || fail "GrafanaDashboardTest"
  report="$REPO/job/target/surefire-reports/dev.anomaly.job.deploy.GrafanaDashboardTest.txt"
  grep -q 'Failures: 0, Errors: 0, Skipped: 0' "$report" || { cat "$report"; fail "GrafanaDashboardTest did not pass in full"; }
  pass "GrafanaDashboardTest: $(grep -o 'Tests run: [0-9]*' "$report"), every dashboard query parsed by promtool"
fi
echo "deploy checks: all passed"

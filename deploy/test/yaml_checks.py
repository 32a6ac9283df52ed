"""Static checks of the deploy/ YAML files (run by yaml-check.sh): every file parses, and the places that
must agree do agree. Exit status 1 with one line per problem."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
problems = []


def problem(msg):
    problems.append(msg)


def load_all(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


# 1. Every YAML file under deploy/ and docker-compose.yml parses.
files = sorted(set(glob.glob(os.path.join(REPO, "deploy", "**", "*.yml"), recursive=True)
                   + glob.glob(os.path.join(REPO, "deploy", "**", "*.yaml"), recursive=True)
                   + [os.path.join(REPO, "docker-compose.yml")]))
docs = {}
for f in files:
    rel = os.path.relpath(f, REPO)
    if "/target/" in f:
        continue
    try:
        docs[rel] = load_all(f)
    except yaml.YAMLError as e:
        problem(f"{rel}: not valid YAML: {e}")
print(f"parsed {len(docs)} YAML files")


def relabels_prometheus(path):
    for doc in docs.get(path, []):
        for job in doc.get("scrape_configs", []):
            if job.get("job_name") == "flink":
                return [(r["source_labels"], r["regex"], r["target_label"], r["replacement"])
                        for r in job["metric_relabel_configs"]], job.get("honor_labels")
    problem(f"{path}: no scrape job 'flink'")
    return None, None


# 2. The metric renaming is the same everywhere the job's metrics are scraped.
local_rl, local_honor = relabels_prometheus("deploy/prometheus/prometheus.yml")
compose_rl, compose_honor = relabels_prometheus("deploy/prometheus/prometheus-compose.yml")
if local_rl != compose_rl:
    problem("metric_relabel_configs of prometheus.yml and prometheus-compose.yml differ")
if not (local_honor and compose_honor):
    problem("the flink scrape jobs need honor_labels: true (the job's own `instance` label)")
expected_prefix = "flink_taskmanager_job_task_operator_anomaly_detector_"
if local_rl and [r[1] for r in local_rl] != [
        expected_prefix + "feature_instance_series_horizon_(.+)",
        expected_prefix + "feature_instance_series_(.+)",
        expected_prefix + "source_reason_(.+)",
        expected_prefix + "(.+)"]:
    problem("prometheus.yml: the renaming rules are not the contract's four, most specific first")

k8s = {d["kind"]: d for d in docs.get("deploy/k8s/monitoring.yaml", []) + docs.get("deploy/k8s/flinkdeployment.yaml", [])
       + docs.get("deploy/k8s/job-config.yaml", [])}
pm = k8s.get("PodMonitor")
if pm is None:
    problem("deploy/k8s/monitoring.yaml: no PodMonitor")
else:
    ep = pm["spec"]["podMetricsEndpoints"][0]
    pm_rl = [(r["sourceLabels"], r["regex"], r["targetLabel"], r["replacement"]) for r in ep["metricRelabelings"]]
    if pm_rl != local_rl:
        problem("deploy/k8s/monitoring.yaml: metricRelabelings differ from prometheus.yml's metric_relabel_configs")
    if ep.get("honorLabels") is not True:
        problem("deploy/k8s/monitoring.yaml: honorLabels must be true")

# 3. The FlinkDeployment is well formed for the operator.
fd = k8s.get("FlinkDeployment")
if fd is None:
    problem("deploy/k8s/flinkdeployment.yaml: no FlinkDeployment")
else:
    if fd.get("apiVersion") != "flink.apache.org/v1beta1":
        problem("FlinkDeployment apiVersion must be flink.apache.org/v1beta1")
    spec = fd["spec"]
    for key, value in spec["flinkConfiguration"].items():
        if not isinstance(value, str):
            problem(f"FlinkDeployment flinkConfiguration.{key}: {value!r} is a {type(value).__name__}, the CRD wants a string")
    job = spec["job"]
    if job.get("entryClass") != "dev.anomaly.job.graph.StreamingJob":
        problem("FlinkDeployment job.entryClass must be dev.anomaly.job.graph.StreamingJob")
    if not job.get("jarURI", "").startswith("local:///opt/flink/usrlib/"):
        problem("FlinkDeployment job.jarURI must be local:///opt/flink/usrlib/...")
    if job.get("upgradeMode") not in ("savepoint", "last-state"):
        problem("FlinkDeployment job.upgradeMode must keep state (savepoint or last-state)")
    conf = spec["flinkConfiguration"]
    for key in ("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "state.backend.type",
                "execution.checkpointing.incremental", "metrics.reporter.prom.factory.class",
                "metrics.reporter.prom.port", "restart-strategy.type"):
        if key not in conf:
            problem(f"FlinkDeployment flinkConfiguration lacks {key}")
    ports = [p["containerPort"] for c in spec["podTemplate"]["spec"]["containers"] for p in c.get("ports", [])]
    if int(conf.get("metrics.reporter.prom.port", "0")) not in ports:
        problem("FlinkDeployment: the reporter port is not a container port of the pod template")
    cm_name = [v["configMap"]["name"] for v in spec["podTemplate"]["spec"]["volumes"] if "configMap" in v]
    cm = k8s.get("ConfigMap")
    if cm is None or cm["metadata"]["name"] not in cm_name:
        problem("the FlinkDeployment's config volume does not name the ConfigMap of job-config.yaml")
    else:
        try:
            job_yaml = yaml.safe_load(cm["data"]["job.yaml"])
            if set(job_yaml) != set(docs["deploy/compose/job.yaml"][0]):
                problem("job.yaml in the ConfigMap and deploy/compose/job.yaml have different top-level keys")
        except yaml.YAMLError as e:
            problem(f"the ConfigMap's job.yaml is not valid YAML: {e}")

# 4. The local cluster's Flink version is the project's.
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
parent = ET.parse(os.path.join(REPO, "pom.xml")).getroot().find("m:properties/m:flink.version", ns).text
cluster = ET.parse(os.path.join(REPO, "deploy/local/flink/pom.xml")).getroot().find("m:properties/m:flink.version", ns).text
if parent != cluster:
    problem(f"deploy/local/flink/pom.xml flink.version {cluster} differs from the parent pom's {parent}")
if f"flink:{parent}-java17" not in open(os.path.join(REPO, "docker-compose.yml")).read():
    problem(f"docker-compose.yml does not use the flink:{parent}-java17 image")
if f"FROM flink:{parent}-java17" not in open(os.path.join(REPO, "deploy/k8s/Dockerfile")).read():
    problem(f"deploy/k8s/Dockerfile is not based on flink:{parent}-java17")

for p in problems:
    print("FAIL:", p, file=sys.stderr)
sys.exit(1 if problems else 0)

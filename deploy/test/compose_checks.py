"""Checks of docker-compose.yml beyond `docker-compose config -q` (run by compose-check.sh), on the config
docker-compose resolved (read from stdin): the files it mounts exist, Prometheus scrapes services that exist,
and the Flink containers' reporter port is the one Prometheus scrapes."""
import os
import sys

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Build outputs: mounted, but only present after `mvn package`.
BUILD_OUTPUTS = {os.path.join(REPO, "job", "target", "anomaly-job.jar")}
problems = []
config = yaml.safe_load(sys.stdin)
services = config["services"]



def mount(volume):
    """(type, source, target) of a volume in long or short ("source:target[:mode]") syntax."""
    if isinstance(volume, dict):
        return volume.get("type"), volume.get("source"), volume.get("target")
    parts = volume.split(":")
    kind = "bind" if parts[0].startswith(("/", ".")) else "volume"
    return kind, parts[0], parts[1] if len(parts) > 1 else parts[0]


for name, service in services.items():
    for volume in service.get("volumes", []):
        kind, source, _ = mount(volume)
        if kind != "bind" or not source.startswith(REPO) or source in BUILD_OUTPUTS:
            continue
        if not os.path.exists(source):
            problems.append(f"service {name} mounts {os.path.relpath(source, REPO)}, which does not exist")

with open(os.path.join(REPO, "deploy/prometheus/prometheus-compose.yml"), encoding="utf-8") as f:
    prometheus = yaml.safe_load(f)
hosts = set()
for job in prometheus["scrape_configs"]:
    for sc in job.get("static_configs", []):
        hosts.update(t.rsplit(":", 1)[0] for t in sc["targets"])
    for sd in job.get("dns_sd_configs", []):
        hosts.update(sd["names"])
for host in sorted(hosts - {"localhost"}):
    if host not in services:
        problems.append(f"prometheus-compose.yml scrapes {host}, which is not a service of docker-compose.yml")

for name in ("jobmanager", "taskmanager"):
    props = services[name]["environment"]["FLINK_PROPERTIES"]
    conf = dict(line.split(": ", 1) for line in props.strip().splitlines())
    port = conf.get("metrics.reporter.prom.port")
    if port != "9249":
        problems.append(f"{name}: metrics.reporter.prom.port is {port}, prometheus-compose.yml scrapes 9249")
    if conf.get("metrics.reporter.prom.filterLabelValueCharacters") != "false":
        problems.append(f"{name}: metrics.reporter.prom.filterLabelValueCharacters must be false")

jm = services["jobmanager"]
command = jm["command"]
if command[:3] != ["standalone-job", "--job-classname", "dev.anomaly.job.graph.StreamingJob"]:
    problems.append("jobmanager: command must be standalone-job --job-classname dev.anomaly.job.graph.StreamingJob ...")
config_arg = command[command.index("--config") + 1] if "--config" in command else None
mounted = {mount(v)[2] for v in jm["volumes"]}
if config_arg not in mounted:
    problems.append(f"jobmanager: the job config {config_arg} is not mounted")
if "/opt/flink/usrlib/anomaly-job.jar" not in mounted:
    problems.append("jobmanager: the job jar is not mounted at /opt/flink/usrlib/anomaly-job.jar")

# Grafana loads the dashboards from where docker-compose mounts them.
with open(os.path.join(REPO, "deploy/grafana/provisioning/dashboards/dashboards.yml"), encoding="utf-8") as f:
    provider_paths = {p["options"]["path"] for p in yaml.safe_load(f)["providers"]}
grafana_targets = {mount(v)[2] for v in services["grafana"]["volumes"]
                   if mount(v)[1] == os.path.join(REPO, "deploy", "grafana", "dashboards")}
if not provider_paths <= grafana_targets:
    problems.append(f"grafana: dashboards provisioned from {sorted(provider_paths)} but mounted at {sorted(grafana_targets)}")

for p in problems:
    print("FAIL:", p, file=sys.stderr)
print(f"checked {len(services)} services")
sys.exit(1 if problems else 0)

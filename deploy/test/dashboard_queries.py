#!/usr/bin/env python3
"""Every PromQL expression of the Grafana dashboard and the alert rules, run against live data.

  dashboard_queries.py list                      print the extracted expressions (raw, with Grafana variables)
  dashboard_queries.py check --prometheus URL --victoriametrics URL [--wait SECONDS]

Sources of the expressions (nothing is listed by hand):
  deploy/grafana/dashboards/anomaly-detection.json  every panel target's `expr` (rows' nested panels included),
      every annotation's `expr`, every template variable's query (label_values(...)); a target runs against
      its datasource (uid `prometheus` -> Prometheus, uid `victoriametrics` -> VictoriaMetrics)
  deploy/prometheus/rules/*.rules.yml                every rule's `expr`

What `check` requires (it repeats the whole check every 5 s until it passes or --wait runs out):
  * template variables: label_values(...) gives at least one value; $instance and $feature are then set the way
    Grafana sets "All" of a multi-value variable, a regex alternation of the escaped values
  * dashboard expressions: the query succeeds and returns at least one sample with a finite value (NAN_UNTIL
    lists the gauges that are NaN until a later stage of the model), except the ones that are
    legitimately empty (ALLOWED_EMPTY below, each with its reason) - and the anomaly markers must return data
    whenever some series is anomalous right now
  * every anomaly_detector_* / flink_* metric an expression names exists in its datasource (so `or vector(0)`
    cannot hide a misspelt or missing metric), except source_malformed (it exists once a record was rejected)
  * alert rules: the expression succeeds; its operands (the expression split at a top-level `or`, a trailing
    comparison with a number removed, absent(...) left out) return a finite value; the alerts that mean "the job is
    unhealthy" (HEALTHY_EMPTY_ALERTS) are not firing
$__rate_interval is 20s (4 x the 5 s scrape interval of the Prometheus datasource), $__interval 5s, $__range 5m.
Standard library only (the rules are read with PyYAML when present, else with a small reader of this file's shape).
"""
import argparse
import json
import math
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = REPO / "deploy/grafana/dashboards/anomaly-detection.json"
RULES_DIR = REPO / "deploy/prometheus/rules"

GRAFANA_TIME_VARIABLES = {
    "$__rate_interval": "20s",
    "${__rate_interval}": "20s",
    "$__interval_ms": "5000",
    "$__interval": "5s",
    "${__interval}": "5s",
    "$__range_s": "300",
    "$__range": "5m",
    "${__range}": "5m",
}

# Metrics that exist only after a particular event; an expression naming them may be empty.
EVENT_METRICS = {
    "anomaly_detector_source_malformed": "created when the source rejects its first record (none here)",
}

# Gauges that are NaN (exported as such) until a later stage of the series' model; every other expression with
# data must have at least one finite value.
NAN_UNTIL = {
    "anomaly_detector_predicted_residual": "the LSTM's predicted residual: NaN until the full (hybrid) model is"
                                           " trained at warmup.full-training-samples",
}

# Alerts that must not fire while the job runs normally.
HEALTHY_EMPTY_ALERTS = {"AnomalyDetectorSilent", "MalformedRateHigh", "JobRestarting"}

METRIC_NAME = re.compile(r"\b((?:anomaly_detector|flink)_[A-Za-z0-9_]+)\b")


class Query:
    def __init__(self, origin, expr, datasource):
        self.origin = origin          # where it came from, for the report
        self.raw = expr               # as written (Grafana variables unresolved)
        self.datasource = datasource  # "prometheus" or "victoriametrics"
        self.expr = expr              # with variables substituted (set by resolve())


# ---- extraction ---------------------------------------------------------------------------------------------

def _panels(panels):
    for p in panels or []:
        yield p
        yield from _panels(p.get("panels"))


def _uid(ds, default="prometheus"):
    if isinstance(ds, dict):
        return ds.get("uid") or default
    if isinstance(ds, str) and ds:
        return ds
    return default


def custom_variables():
    """The dashboard's custom variables (a fixed list of values, such as $fetch_interval): name -> current value."""
    d = json.loads(DASHBOARD.read_text())
    out = {}
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") == "custom":
            current = v.get("current", {}).get("value")
            out[v["name"]] = current if isinstance(current, str) else v.get("query", "").split(",")[0]
    return out


def dashboard_queries():
    d = json.loads(DASHBOARD.read_text())
    variables, queries = [], []
    for v in d.get("templating", {}).get("list", []):
        if v.get("type") != "query":
            continue
        q = v.get("query")
        text = q.get("query") if isinstance(q, dict) else q
        variables.append((v["name"], text or v.get("definition"), _uid(v.get("datasource"))))
    for p in _panels(d.get("panels")):
        for t in p.get("targets", []):
            if t.get("expr"):
                ds = _uid(t.get("datasource"), _uid(p.get("datasource")))
                queries.append(Query(f"panel '{p.get('title')}' {t.get('refId', '')}".strip(), t["expr"], ds))
    for a in d.get("annotations", {}).get("list", []):
        if a.get("expr"):
            queries.append(Query(f"annotation '{a.get('name')}'", a["expr"], _uid(a.get("datasource"))))
    return variables, queries


def _read_rules(path):
    text = path.read_text()
    try:
        import yaml
        doc = yaml.safe_load(text)
        return [(r.get("alert") or r.get("record"), r["expr"]) for g in doc["groups"] for r in g["rules"]]
    except ImportError:
        pass
    # Fallback for this file's shape: "- alert: NAME" followed by "expr: |" and an indented block.
    rules, name, lines = [], None, text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"\s*- (?:alert|record):\s*(\S+)", lines[i])
        if m:
            name = m.group(1)
        m = re.match(r"(\s*)expr:\s*(.*)$", lines[i])
        if m:
            indent, rest = len(m.group(1)), m.group(2).strip()
            if rest in ("|", ">", "|-", ">-"):
                block = []
                i += 1
                while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                    block.append(lines[i].strip())
                    i += 1
                rules.append((name, " ".join(x for x in block if x)))
                continue
            rules.append((name, rest.strip("'\"")))
        i += 1
    return rules


def rule_queries():
    out = []
    for f in sorted(RULES_DIR.glob("*.rules.yml")):
        for name, expr in _read_rules(f):
            out.append((name, " ".join(expr.split())))
    return out


# ---- PromQL helpers -----------------------------------------------------------------------------------------

def split_top_level_or(expr):
    parts, depth, start, i = [], 0, 0, 0
    while i < len(expr):
        c = expr[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == '"':
            i = expr.index('"', i + 1)
        elif depth == 0 and re.match(r"\sor\s", expr[i:i + 4]):
            parts.append(expr[start:i].strip())
            start = i + 4
            i += 3
        i += 1
    parts.append(expr[start:].strip())
    return parts


def strip_comparison(expr):
    """`X > 0.5` -> `X` (only a comparison with a number at the end, outside parentheses)."""
    m = re.match(r"^(.*?)\s*(==|!=|>=|<=|>|<)\s*(bool\s+)?-?[0-9.]+(e-?[0-9]+)?$", expr, re.S)
    if not m:
        return expr
    head = m.group(1)
    depth = 0
    for c in head:
        depth += c in "([{"
        depth -= c in ")]}"
    return head if depth == 0 else expr


def regex_alternation(values):
    escaped = [re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\\\1", v) for v in sorted(values)]
    return escaped[0] if len(escaped) == 1 else "(" + "|".join(escaped) + ")"


# ---- HTTP ---------------------------------------------------------------------------------------------------

def api(base, path, params):
    url = f"{base}{path}?{urllib.parse.urlencode(params, doseq=True)}"
    try:
        with urllib.request.urlopen(url, timeout=15) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        try:
            body = json.load(e)
        except ValueError:
            return {"status": "error", "error": f"HTTP {e.code}"}
    except (urllib.error.URLError, OSError, ValueError) as e:
        return {"status": "error", "error": str(e)}
    return body


def instant(base, expr):
    """(error or None, list of float values)"""
    body = api(base, "/api/v1/query", {"query": expr})
    if body.get("status") != "success":
        return body.get("error", "query failed"), []
    data = body["data"]
    if data["resultType"] == "scalar":
        return None, [float(data["result"][1])]
    if data["resultType"] != "vector":
        return f"unexpected result type {data['resultType']}", []
    return None, [float(s["value"][1]) for s in data["result"]]


def label_values(base, text):
    m = re.match(r"^\s*label_values\((.*),\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$", text, re.S)
    if not m:
        raise SystemExit(f"unsupported template variable query: {text}")
    selector, label = m.group(1).strip(), m.group(2)
    body = api(base, f"/api/v1/label/{label}/values", {"match[]": selector})
    if body.get("status") != "success":
        return body.get("error", "failed"), []
    return None, body["data"]


# ---- the check ----------------------------------------------------------------------------------------------

def substitute(expr, values):
    for k in sorted(GRAFANA_TIME_VARIABLES, key=len, reverse=True):
        expr = expr.replace(k, GRAFANA_TIME_VARIABLES[k])
    for name, v in values.items():
        expr = expr.replace("${" + name + "}", v).replace("$" + name, v)
    if re.search(r"\$[A-Za-z_{]", expr):
        raise SystemExit(f"unresolved variable in: {expr}")
    return expr


def fmt(vals):
    if not vals:
        return "empty"
    finite = [v for v in vals if math.isfinite(v)]
    if not finite:
        return f"{len(vals)} samples, none finite"
    return f"{len(vals)} samples, e.g. {finite[0]:.6g}"


def check_once(urls, custom):
    """Returns (lines of the report, number of failures); custom: the custom variables' values."""
    report, failures = [], 0

    def line(ok, what, detail):
        nonlocal failures
        failures += 0 if ok else 1
        report.append(f"{'ok  ' if ok else 'FAIL'} {what}: {detail}")

    variables, queries = dashboard_queries()
    values = dict(custom)
    for name, text, ds in variables:
        text = substitute(text, values)
        err, vals = label_values(urls[ds], text)
        line(err is None and bool(vals), f"variable ${name} = {text}", err or f"{vals}")
        values[name] = regex_alternation(vals) if vals else "__none__"

    err, anomalous = instant(urls["prometheus"], "count(anomaly_detector_anomaly == 1)")
    anomalous_now = bool(anomalous and anomalous[0] > 0)

    metric_names = {}
    for q in queries:
        q.expr = substitute(q.raw, values)
        err, vals = instant(urls[q.datasource], q.expr)
        names = set(METRIC_NAME.findall(q.raw))
        event_names = names & set(EVENT_METRICS)
        for n in names - set(EVENT_METRICS):
            metric_names.setdefault((q.datasource, n), q.origin)
        where = f"[{q.datasource}] {q.origin}: {q.expr}"
        if err:
            line(False, where, f"query error: {err}")
        elif vals and any(math.isfinite(v) for v in vals):
            line(True, where, fmt(vals))
        elif vals and names and names <= set(NAN_UNTIL):
            line(True, where, fmt(vals) + ", allowed: " + "; ".join(NAN_UNTIL[n] for n in names))
        elif vals:
            line(False, where, fmt(vals))
        elif "anomaly_detector_anomaly" in q.raw and "== 1" in q.raw and not anomalous_now:
            line(True, where, "empty, allowed: an anomaly marker, and no series is anomalous now")
        elif event_names and names <= set(EVENT_METRICS):
            line(True, where, "empty, allowed: " + "; ".join(f"{n} {EVENT_METRICS[n]}" for n in event_names))
        else:
            line(False, where, "no data")

    for name, expr in rule_queries():
        err, vals = instant(urls["prometheus"], expr)
        if err:
            line(False, f"[rule] {name}: {expr}", f"query error: {err}")
            continue
        if name in HEALTHY_EMPTY_ALERTS:
            line(not vals, f"[rule] {name} not firing", "empty" if not vals else f"FIRING: {fmt(vals)}")
        else:
            line(True, f"[rule] {name} evaluates", "not firing" if not vals else f"firing now: {fmt(vals)}")
        for n in set(METRIC_NAME.findall(expr)) - set(EVENT_METRICS):
            metric_names.setdefault(("prometheus", n), f"rule {name}")
        for operand in split_top_level_or(expr):
            if operand.startswith("absent("):
                continue
            value_expr = strip_comparison(operand)
            err, vals = instant(urls["prometheus"], value_expr)
            ok = err is None and any(math.isfinite(v) for v in vals)
            line(ok, f"[rule] {name} operand: {value_expr}", err or fmt(vals))

    for (ds, n), origin in sorted(metric_names.items()):
        err, vals = instant(urls[ds], f"count({{__name__=\"{n}\"}})")
        line(err is None and bool(vals), f"[{ds}] metric {n} exists (used by {origin})",
             err or (f"{int(vals[0])} series" if vals else "missing"))
    return report, failures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list")
    c = sub.add_parser("check")
    c.add_argument("--prometheus", required=True)
    c.add_argument("--victoriametrics", required=True)
    c.add_argument("--wait", type=float, default=0, help="repeat until it passes, at most this many seconds")
    c.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                   help="the value of a custom dashboard variable (default: its current value), e.g."
                        " fetch_interval=5s for the job's fetch-interval")
    a = ap.parse_args()
    if a.cmd == "list":
        variables, queries = dashboard_queries()
        for name, text, ds in variables:
            print(f"variable ${name} [{ds}]: {text}")
        for q in queries:
            print(f"[{q.datasource}] {q.origin}: {q.raw}")
        for name, expr in rule_queries():
            print(f"[rule] {name}: {expr}")
        return 0
    urls = {"prometheus": a.prometheus.rstrip("/"), "victoriametrics": a.victoriametrics.rstrip("/")}
    custom = custom_variables()
    for assignment in a.var:
        name, _, value = assignment.partition("=")
        if name not in custom or not value:
            raise SystemExit(f"--var {assignment}: the dashboard's custom variables are {sorted(custom)}")
        custom[name] = value
    deadline = time.monotonic() + a.wait
    attempt = 0
    while True:
        attempt += 1
        report, failures = check_once(urls, custom)
        if failures == 0 or time.monotonic() >= deadline:
            break
        time.sleep(5)
    print("\n".join(report))
    total = len(report)
    if failures:
        print(f"dashboard/rule queries: {failures} of {total} checks FAILED (attempt {attempt})", file=sys.stderr)
        return 1
    print(f"dashboard/rule queries: all {total} checks passed (attempt {attempt})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Input and verdict of deploy/test/fault-kafka-exactly-once.sh.

  kafka_fault_data.py produce --partition P [--rate R] [--hold-at F --until FILE]
                                                         the input records of partition P as "key<TAB>json"
                                                         lines on stdout (for `kcat -P -K '\\t' -p P`), R lines
                                                         per second (0 = at once); with --hold-at, the first
                                                         fraction F of them, then nothing until FILE exists,
                                                         then the rest (a fault injected while the input is
                                                         held is injected while input is still to come, however
                                                         slow the machine)
  kafka_fault_data.py count FILE                         number of records in a `kcat -f '%k\\t%s\\n'` dump
  kafka_fault_data.py compare REFERENCE FAULT            the verdict (exit 1 on any difference)

The input is fixed (seeded): SERIES series of the gauge test_load (labels instance=host-K:9100, job=node), SAMPLES
samples each, 5 s apart from START_MS, in prometheus-kafka-adapter JSON; series K goes to partition K % 2 and
is the record key, so each series' samples stay in order. Values: a level per series, a daily-like sine, seeded
Gaussian noise, and a spike or a level shift in some series (so some events are anomalies).

compare checks:
  * the reference run (uninterrupted) holds, per series, exactly one event for each input timestamp but the last
    (the last one waits for a watermark that never comes: the input ends there) - an expectation computed from
    the input, not from the reference itself
  * the fault run (a TaskManager killed under load) holds per series exactly the same (series, timestamp) set:
    zero lost, zero duplicated, nothing extra
  * every fault-run event equals the reference event with the same (series, timestamp), field by field (the
    detector is deterministic), and each record's key is its series
"""
import json
import math
import os
import random
import sys
import time
from collections import defaultdict

SERIES = 6
SAMPLES = 360
START_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
STEP_MS = 5_000
METRIC = "test_load"
FEATURE = "load"


def series_labels(k):
    return {"instance": f"host-{k}:9100", "job": "node"}


def series_id(k):
    labels = series_labels(k)
    return FEATURE + "{" + ",".join(f'{n}="{labels[n]}"' for n in sorted(labels)) + "}"


def value(k, i, rng):
    v = 20.0 + 7.0 * k + 5.0 * math.sin(2 * math.pi * i / 48.0) + rng.gauss(0.0, 0.5)
    if k == 0 and i == 200:
        v += 30.0
    if k == 3 and 300 <= i < 303:
        v -= 25.0
    if k == 4 and i >= 250:
        v += 15.0
    return v


def records():
    """(partition, key, json line) in timestamp order."""
    rngs = [random.Random(1000 + k) for k in range(SERIES)]
    for i in range(SAMPLES):
        for k in range(SERIES):
            labels = dict(series_labels(k), __name__=METRIC)
            doc = {"timestamp": START_MS + i * STEP_MS, "value": repr(value(k, i, rngs[k])), "name": METRIC,
                   "labels": labels}
            yield k % 2, f"host-{k}", json.dumps(doc, separators=(",", ":"))


def produce(partition, rate, hold_at=None, until=None):
    mine = [(key, line) for p, key, line in records() if p == partition]
    hold = int(hold_at * len(mine)) if until else -1
    interval = 1.0 / rate if rate > 0 else 0.0
    next_at = time.monotonic()
    for n, (key, line) in enumerate(mine):
        if n == hold:
            while not os.path.exists(until):
                time.sleep(0.2)
            next_at = time.monotonic()
        if interval:
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        sys.stdout.write(f"{key}\t{line}\n")
        sys.stdout.flush()


def read_dump(path):
    """{(series, timestamp_ms): [event, ...]}, and problems with keys."""
    events, problems = defaultdict(list), []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.rstrip("\n")
            if not raw:
                continue
            key, _, payload = raw.partition("\t")
            e = json.loads(payload)
            if key != e["series"]:
                problems.append(f"{path}:{n}: record key {key!r} is not the event's series {e['series']!r}")
            events[(e["series"], e["timestamp_ms"])].append(e)
    return events, problems


def count(path):
    with open(path, encoding="utf-8") as f:
        print(sum(1 for line in f if line.strip()))


def compare(ref_path, fault_path):
    ref, problems = read_dump(ref_path)
    fault, fault_problems = read_dump(fault_path)
    problems += fault_problems
    expected = {(series_id(k), START_MS + i * STEP_MS) for k in range(SERIES) for i in range(SAMPLES - 1)}

    ref_dupes = {k: len(v) for k, v in ref.items() if len(v) > 1}
    ref_missing = expected - ref.keys()
    ref_extra = ref.keys() - expected
    if ref_dupes or ref_missing or ref_extra:
        problems.append(f"reference run: {len(ref_missing)} expected events missing, {len(ref_extra)} unexpected, "
                        f"{len(ref_dupes)} duplicated (examples: {sorted(ref_missing)[:3]} {sorted(ref_extra)[:3]})")

    per_series = defaultdict(lambda: {"ref": 0, "fault": 0, "lost": 0, "duplicated": 0, "extra": 0, "differ": 0})
    examples = []
    for key in ref.keys() | fault.keys():
        s = per_series[key[0]]
        s["ref"] += len(ref.get(key, []))
        s["fault"] += len(fault.get(key, []))
        if key not in fault:
            s["lost"] += 1
            continue
        if key not in ref:
            s["extra"] += 1
            continue
        if len(fault[key]) > 1:
            s["duplicated"] += len(fault[key]) - 1
        for e in fault[key]:
            if e != ref[key][0]:
                s["differ"] += 1
                if len(examples) < 3:
                    diff = {f: (ref[key][0].get(f), e.get(f)) for f in ref[key][0].keys() | e.keys()
                            if ref[key][0].get(f) != e.get(f)}
                    examples.append(f"{key}: reference vs fault {diff}")

    anomalies = sum(1 for v in ref.values() if v[0].get("anomaly"))
    print(f"{'series':<42} {'ref':>5} {'fault':>5} {'lost':>5} {'dup':>5} {'extra':>5} {'differ':>6}")
    bad = 0
    for sid in sorted(per_series):
        s = per_series[sid]
        bad += s["lost"] + s["duplicated"] + s["extra"] + s["differ"]
        print(f"{sid:<42} {s['ref']:>5} {s['fault']:>5} {s['lost']:>5} {s['duplicated']:>5} {s['extra']:>5} "
              f"{s['differ']:>6}")
    print(f"reference: {sum(len(v) for v in ref.values())} events ({anomalies} anomalies), expected {len(expected)}; "
          f"fault run: {sum(len(v) for v in fault.values())} events")
    for x in examples:
        print("  differs: " + x)
    for p in problems:
        print("  problem: " + p)
    if bad or problems:
        print("FAIL: the fault run's committed output differs from the uninterrupted reference", file=sys.stderr)
        return 1
    print("ok: per series the same events as the reference: zero lost, zero duplicated, all equal")
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "produce" and len(argv) % 2 == 0:
        opts = dict(zip(argv[2::2], argv[3::2]))
        known = {"--partition", "--rate", "--hold-at", "--until"}
        if "--partition" in opts and set(opts) <= known and ("--hold-at" in opts) == ("--until" in opts):
            produce(int(opts["--partition"]), float(opts.get("--rate", 0)),
                    float(opts["--hold-at"]) if "--hold-at" in opts else None, opts.get("--until"))
            return 0
    if len(argv) == 3 and argv[1] == "count":
        count(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        return compare(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""Independent NAB scorer (v1.1 rules, ../shared/data/nab/SCORING.md), written apart from the Java NabScorer.

Scores the `label` column (the detector's own decisions) of an `evaluate` output directory, per profile, and with
-v prints per file: windows, missed windows, hit value, detections outside windows and their cost, file score.
It reproduces `bin/anomaly evaluate --labels` to the printed digits; docs/EVALUATION.md uses it to see where points
are lost.

usage: scripts/nab-score.py OUT_DIR [LABELS_JSON] [-v]
"""
import csv
import json
import math
import os
import sys

PROFILES = {"standard": (1.0, 1.0, 0.11), "reward_low_FP_rate": (1.0, 1.0, 0.22),
            "reward_low_FN_rate": (1.0, 2.0, 0.11)}


def sigma(y):
    return -1.0 if y > 3 else 2.0 / (1.0 + math.exp(5.0 * y)) - 1.0


def read_output(path):
    stamps, labels = [], []
    with open(path) as fh:
        for row in csv.DictReader(fh):
            stamps.append(row["timestamp"][:19])
            labels.append(int(row["label"]))
    return stamps, labels


def window_rows(stamps, windows):
    first = {}
    for i, t in enumerate(stamps):
        first.setdefault(t, i)
    return [(first[a[:19]], first[b[:19]]) for a, b in windows]


def score_file(detections, windows, n, profile):
    a_tp, a_fn, a_fp = PROFILES[profile]
    probation = min(int(0.15 * n), 750)
    best = [None] * len(windows)
    outside, count = 0.0, 0
    for i in detections:
        if i < probation:
            continue
        inside = [k for k, (lo, hi) in enumerate(windows) if lo <= i <= hi]
        if inside:
            lo, hi = windows[inside[0]]
            width = hi - lo + 1
            if best[inside[0]] is None:
                best[inside[0]] = a_tp * sigma(-(hi - i + 1) / width) / sigma(-1.0)
            continue
        count += 1
        before = [w for w in windows if w[1] < i]
        if not before:
            outside -= a_fp
        else:
            lo, hi = max(before, key=lambda w: w[1])
            outside += a_fp * sigma((i - hi) / (hi - lo))
    hits = sum(b for b in best if b is not None)
    missed = sum(1 for b in best if b is None)
    return hits, missed, outside, count, hits + outside - a_fn * missed


def main(argv):
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    out = args[0]
    labels = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data",
                                                         "nab", "labels.json")
    windows = json.load(open(labels))["windows"]
    for profile in PROFILES:
        total, n_windows = 0.0, 0
        for name in sorted(windows):
            stamps, decisions = read_output(os.path.join(out, name))
            rows = window_rows(stamps, windows[name])
            n_windows += len(rows)
            detections = [i for i, d in enumerate(decisions) if d]
            hits, missed, outside, count, score = score_file(detections, rows, len(stamps), profile)
            total += score
            if verbose and profile == "standard":
                print(f"{name}\twindows {len(rows)}\tmissed {missed}\thits {hits:.2f}\toutside {count}"
                      f"\tcost {outside:.2f}\tscore {score:.2f}")
        null = -PROFILES[profile][1] * n_windows
        perfect = PROFILES[profile][0] * n_windows
        print(f"{profile:20s} {100 * (total - null) / (perfect - null):8.2f} {total:12.4f}")


if __name__ == "__main__":
    main(sys.argv[1:])

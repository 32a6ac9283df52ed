#!/usr/bin/env python3
"""Paired comparison of two `evaluate` outputs on NAB, with a bootstrap over the files.

How sure is "detector A scores more than detector B"? NAB's normalised score is a sum over files, and a few files
(one window found or missed, a burst of false positives) move it by a point or more. This resamples the files with
replacement (the same resample for both detectors), recomputes both normalised scores from the resampled files'
raw scores and window counts, and reports, per profile: both scores on the real files, their difference, the 95%
percentile interval of the difference and of each score, and the share of resamples in which A scores more. It
also counts the files where A and B differ by more than 0.005 raw points.

Scoring is scripts/nab-score.py's (NAB v1.1 rules), imported from beside this file.

usage: scripts/nab-compare.py OUT_A OUT_B [LABELS_JSON] [--resamples 10000] [--seed 1]
"""
import importlib.util
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("nab_score", os.path.join(HERE, "nab-score.py"))
nab = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nab)


def per_file(out, windows, profile):
    """(raw score, window count) of each file, in the order of sorted(windows)."""
    result = []
    for name in sorted(windows):
        stamps, decisions = nab.read_output(os.path.join(out, name))
        rows = nab.window_rows(stamps, windows[name])
        detections = [i for i, d in enumerate(decisions) if d]
        result.append((nab.score_file(detections, rows, len(stamps), profile)[4], len(rows)))
    return result


def normalised(files, indices, profile):
    a_tp, a_fn, _ = nab.PROFILES[profile]
    total = sum(files[i][0] for i in indices)
    n_windows = sum(files[i][1] for i in indices)
    null, perfect = -a_fn * n_windows, a_tp * n_windows
    return 100.0 * (total - null) / (perfect - null) if perfect > null else float("nan")


def interval(values):
    s = sorted(values)
    return s[int(0.025 * (len(s) - 1))], s[int(0.975 * (len(s) - 1))]


def main(argv):
    opts = {"--resamples": "10000", "--seed": "1"}
    args = []
    it = iter(argv)
    for a in it:
        if a in opts:
            opts[a] = next(it)
        else:
            args.append(a)
    if len(args) < 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    out_a, out_b = args[0], args[1]
    labels = args[2] if len(args) > 2 else os.path.join(HERE, "..", "..", "shared", "data", "nab", "labels.json")
    windows = json.load(open(labels))["windows"]
    resamples, rng = int(opts["--resamples"]), random.Random(int(opts["--seed"]))
    names = sorted(windows)
    draws = [[rng.randrange(len(names)) for _ in names] for _ in range(resamples)]
    everything = range(len(names))
    print(f"A = {out_a}\nB = {out_b}\n{len(names)} files, {resamples} paired resamples of the files\n")
    print(f"{'profile':20s} {'A':>7s} {'B':>7s} {'A-B':>7s}   {'A-B 95%':>17s}   {'A 95%':>15s}   "
          f"{'B 95%':>15s}   P(A>B)")
    for profile in nab.PROFILES:
        fa, fb = per_file(out_a, windows, profile), per_file(out_b, windows, profile)
        sa, sb = normalised(fa, everything, profile), normalised(fb, everything, profile)
        boot_a = [normalised(fa, d, profile) for d in draws]
        boot_b = [normalised(fb, d, profile) for d in draws]
        diff = [x - y for x, y in zip(boot_a, boot_b)]
        lo, hi = interval(diff)
        alo, ahi = interval(boot_a)
        blo, bhi = interval(boot_b)
        share = sum(1 for d in diff if d > 0) / len(diff)
        print(f"{profile:20s} {sa:7.2f} {sb:7.2f} {sa - sb:+7.2f}   [{lo:+6.2f}, {hi:+6.2f}]   [{alo:5.1f}, {ahi:5.1f}]"
              f"   [{blo:5.1f}, {bhi:5.1f}]   {share:.3f}")
        if profile == "standard":
            deltas = [(names[i], fa[i][0] - fb[i][0]) for i in everything]
            better = [n for n, d in deltas if d > 0.005]
            worse = [n for n, d in deltas if d < -0.005]
            standard_files = (len(better), len(worse), len(names) - len(better) - len(worse))
    print(f"\nstandard profile, files: A better on {standard_files[0]}, B better on {standard_files[1]}, "
          f"equal on {standard_files[2]}")


if __name__ == "__main__":
    main(sys.argv[1:])

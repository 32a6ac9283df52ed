#!/usr/bin/env python3
"""Cross-checks `bin/anomaly sarima --params ... --json` against an independent dense-covariance computation.

For random SARIMA(p,d,q)(P,D,Q,s) specifications, trends, parameters and series (with missing values), it runs the
CLI with fixed parameters and recomputes, with numpy only, what statsmodels' `simple_diff_stationary` variant gives
(the exact Gaussian likelihood of the differenced series, see ../shared/reference/sarima/README.md):

  * the ARMA autocovariances of the differenced series from the psi weights of the expanded lag polynomials
    phi(L) Phi(L^s) and theta(L) Theta(L^s) (no state space, no Kalman filter);
  * the log-likelihood, one-step predictions, residuals and their variances from the Cholesky factor of the
    covariance matrix of the observed values (the innovations form of the same Gaussian density);
  * h-step forecasts and standard errors as the conditional Gaussian distribution of the future values given the
    observed ones, and their integration back to the original scale.

The mean of the differenced series is intercept / (phi(1) Phi(1)) (statsmodels' intercept convention). Usage:

    scripts/sarima-crosscheck.py [--cases N] [--seed S] [--anomaly PATH] [--fixtures DIR]

The reference is first checked against statsmodels' own numbers (../shared/reference/sarima, when present). Exit 0
when every case agrees within the tolerances, 1 otherwise (each disagreement is printed).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

PSI_TERMS = 20000
Z95 = 1.959963984540054


def expand(coefficients, sign, seasonal, period):
    """Lag polynomial 1 + sign*(c1 L + c2 L^2 ...) times 1 + sign*(C1 L^s + ...), as an array of coefficients."""
    a = np.zeros(len(coefficients) + 1)
    a[0] = 1.0
    for i, c in enumerate(coefficients):
        a[i + 1] = sign * c
    b = np.zeros(len(seasonal) * period + 1)
    b[0] = 1.0
    for i, c in enumerate(seasonal):
        b[(i + 1) * period] = sign * c
    return np.convolve(a, b)


def psi_weights(ar_poly, ma_poly, n):
    """psi_j of theta(L)/phi(L) for j < n, ar_poly = [1, -phi1, ...], ma_poly = [1, theta1, ...]."""
    psi = np.zeros(n)
    phi = -ar_poly[1:]
    for j in range(n):
        v = ma_poly[j] if j < len(ma_poly) else 0.0
        for i in range(1, min(j, len(phi)) + 1):
            v += phi[i - 1] * psi[j - i]
        psi[j] = v
        if j > 4 * (len(phi) + len(ma_poly)) and len(phi) == 0:
            break
    return psi


def autocovariances(ar_poly, ma_poly, sigma2, lags):
    psi = psi_weights(ar_poly, ma_poly, PSI_TERMS)
    full = np.correlate(psi, psi, mode="full")[len(psi) - 1:]
    return sigma2 * full[:lags]


def difference(y, d, big_d, s):
    w = np.array(y, dtype=float)
    for _ in range(d):
        w = w[1:] - w[:-1]
    for _ in range(big_d):
        w = w[s:] - w[:-s]
    return w


def max_inverse_root(poly):
    if len(poly) <= 1 or np.all(poly[1:] == 0):
        return 0.0
    roots = np.roots(poly[::-1])
    return float(np.max(1.0 / np.abs(roots)))


def random_stationary(rng, k, bound):
    """k coefficients of 1 - c1 L - ... whose inverse roots are below bound in modulus (via random roots)."""
    if k == 0:
        return []
    roots = []
    while len(roots) < k:
        if k - len(roots) >= 2 and rng.random() < 0.5:
            r = rng.uniform(0.1, bound)
            theta = rng.uniform(0.2, math.pi - 0.2)
            roots += [r * complex(math.cos(theta), math.sin(theta)), r * complex(math.cos(theta), -math.sin(theta))]
        else:
            roots.append(rng.uniform(-bound, bound))
    poly = np.real(np.poly(roots))  # 1, -c1, -c2 ... in terms of inverse roots
    return [float(-c) for c in poly[1:]]


def reference(y, order, seasonal, trend, params, horizon):
    p, d, q = order
    big_p, big_d, big_q, s = seasonal
    i = 0
    intercept = 0.0
    if trend == "c":
        intercept = params[0]
        i = 1
    ar = params[i:i + p]; i += p
    ma = params[i:i + q]; i += q
    sar = params[i:i + big_p]; i += big_p
    sma = params[i:i + big_q]; i += big_q
    sigma2 = params[i]
    ar_poly = expand(ar, -1.0, sar, s)
    ma_poly = expand(ma, 1.0, sma, s)
    w = difference(y, d, big_d, s)
    n = len(w)
    mean = intercept / (np.sum(ar_poly)) if trend == "c" else 0.0
    gamma = autocovariances(ar_poly, ma_poly, sigma2, n + horizon)
    idx = np.arange(n + horizon)
    cov = gamma[np.abs(idx[:, None] - idx[None, :])]
    observed = np.where(~np.isnan(w))[0]
    pred = np.full(n, np.nan)
    var = np.full(n, np.nan)
    # one-step predictions E[w_t | observed w_<t] and their variances, for every t (missing t included)
    obs_cov = cov[np.ix_(observed, observed)]
    chol = np.linalg.cholesky(obs_cov)
    centred = w[observed] - mean
    e = np.linalg.solve(chol, centred)
    llf = -0.5 * (len(observed) * math.log(2 * math.pi) + 2 * np.sum(np.log(np.diag(chol))) + float(e @ e))
    # observed t: from the Cholesky factor of the observed values' covariance (innovations form)
    diag = np.diag(chol)
    var[observed] = diag ** 2
    pred[observed] = w[observed] - diag * e
    # missing t: the conditional mean and variance given the observed values before it
    for t in np.where(np.isnan(w))[0]:
        before = observed[observed < t]
        if len(before) == 0:
            pred[t] = mean
            var[t] = cov[t, t]
            continue
        c_bb = cov[np.ix_(before, before)]
        c_tb = cov[t, before]
        sol = np.linalg.solve(c_bb, np.stack([w[before] - mean, c_tb], axis=1))
        pred[t] = mean + c_tb @ sol[:, 0]
        var[t] = cov[t, t] - c_tb @ sol[:, 1]
    future = np.arange(n, n + horizon)
    c_fo = cov[np.ix_(future, observed)]
    sol = np.linalg.solve(obs_cov, np.concatenate([centred[:, None], c_fo.T], axis=1))
    f_mean = mean + c_fo @ sol[:, 0]
    f_cov = cov[np.ix_(future, future)] - c_fo @ sol[:, 1:]
    f_se = np.sqrt(np.maximum(np.diag(f_cov), 0.0))
    original = integrate(y, f_mean, d, big_d, s)
    # original-scale forecast errors are psi-weighted sums of the differenced ones (psi of 1 / delta(L))
    delta = np.array([1.0])
    for _ in range(d):
        delta = np.convolve(delta, [1.0, -1.0])
    for _ in range(big_d):
        delta = np.convolve(delta, np.concatenate([[1.0], np.zeros(s - 1), [-1.0]]))
    weights = psi_weights(delta, np.array([1.0]), horizon)
    m = np.array([[weights[i - j] if i >= j else 0.0 for j in range(horizon)] for i in range(horizon)])
    se_original = np.sqrt(np.maximum(np.diag(m @ f_cov @ m.T), 0.0))
    se_original[np.isnan(original)] = np.nan
    k = len(params)
    # statsmodels' nobs (MLEResults.nobs, which bic uses) counts every period, missing ones included
    return {
        "loglik": llf, "nobs": n, "aic": -2 * llf + 2 * k, "bic": -2 * llf + k * math.log(n),
        "pred": pred, "resid": w - pred, "pred_var": var,
        "mean": f_mean, "se": f_se, "lower95": f_mean - Z95 * f_se, "upper95": f_mean + Z95 * f_se,
        "mean_original_scale": original, "se_original_scale": se_original,
    }


def integrate(y, w_forecast, d, big_d, s):
    """The original-scale values whose differences are the forecasts: undo D seasonal, then d regular differences."""
    levels = [np.array(y, dtype=float)]
    for _ in range(d):
        levels.append(levels[-1][1:] - levels[-1][:-1])
    for _ in range(big_d):
        levels.append(levels[-1][s:] - levels[-1][:-s])
    out = np.array(w_forecast, dtype=float)
    lags = [1] * d + [s] * big_d
    for level, lag in zip(reversed(levels[:-1]), reversed(lags)):
        ext = list(level)
        for v in out:
            ext.append(v + ext[-lag])
        out = np.array(ext[len(level):])
    return out


def close(a, b, rel, abs_):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False, f"shape {a.shape} vs {b.shape}"
    both_nan = np.isnan(a) & np.isnan(b)
    diff = np.abs(a - b)
    ok = both_nan | (diff <= abs_ + rel * np.abs(b))
    if np.all(ok):
        return True, ""
    j = int(np.argmax(np.where(ok, -1, diff)))
    return False, f"index {j}: {a.flat[j]!r} vs reference {b.flat[j]!r}"


def random_case(rng):
    while True:
        s = int(rng.choice([4, 7, 12, 24]))
        p, q = int(rng.integers(0, 4)), int(rng.integers(0, 4))
        big_p, big_q = int(rng.integers(0, 3)), int(rng.integers(0, 3))
        if rng.random() < 0.3:
            big_p = big_q = 0
        d = int(rng.choice([0, 0, 1, 1, 2]))
        big_d = int(rng.choice([0, 0, 1])) if big_p + big_q > 0 or rng.random() < 0.3 else 0
        seasonal_used = big_p + big_q + big_d > 0
        if not seasonal_used:
            s = 0
        n = int(rng.integers(60, 400))
        if n - d - (s * big_d) <= 2 * (p + q + (big_p + big_q) * max(s, 1)) // 3 + 10:
            continue
        trend = "c" if rng.random() < 0.5 else "n"
        ar = random_stationary(rng, p, 0.9)
        sar = random_stationary(rng, big_p, 0.85)
        # theta(L) = 1 + ma_1 L + ...: the negated coefficients of a stable 1 - c_1 L - ... are invertible
        ma = [-c for c in random_stationary(rng, q, 0.9)]
        sma = [-c for c in random_stationary(rng, big_q, 0.85)]
        assert max_inverse_root(expand(ar, -1.0, sar, max(s, 1))) < 1 - 1e-9
        assert max_inverse_root(expand(ma, 1.0, sma, max(s, 1))) < 1 - 1e-9
        sigma2 = float(np.exp(rng.uniform(-3, 3)))
        intercept = float(rng.normal(0, 3))
        params = ([intercept] if trend == "c" else []) + ar + ma + sar + sma + [sigma2]
        # a series: noise around a level with a trend, some seasonality, occasional missing values
        t = np.arange(n)
        level = rng.normal(0, 100)
        y = level + rng.normal(0, 1, n).cumsum() * (d > 0) + rng.normal(0, math.sqrt(sigma2) * 2, n)
        if s:
            y += 3 * np.sin(2 * math.pi * t / s)
        y = np.round(y, 6)
        if rng.random() < 0.3:
            for _ in range(int(rng.integers(1, 4))):
                y[int(rng.integers(d + s * big_d + 1, n))] = np.nan
        return (p, d, q), (big_p, big_d, big_q, s), trend, params, y


def run_cli(anomaly, y, order, seasonal, trend, params, horizon):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for v in y:
            f.write("NaN\n" if np.isnan(v) else f"{float(v)!r}\n")
        path = f.name
    cmd = [anomaly, "sarima", "--input", path, "--order", ",".join(map(str, order)), "--trend", trend,
           "--params", ",".join(repr(float(v)) for v in params), "--forecast", str(horizon), "--json"]
    if seasonal[3]:
        cmd[6:6] = ["--seasonal", ",".join(map(str, seasonal))]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(path)
    if r.returncode != 0:
        return None, " ".join(cmd) + "\n  exit " + str(r.returncode) + ": " + r.stderr.strip()
    return json.loads(r.stdout), " ".join(cmd)


def check_reference(fixtures):
    """The reference itself against statsmodels' fixtures (variant simple_diff_stationary); returns the failures."""
    failures = 0
    for name in sorted(os.listdir(fixtures)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(fixtures, name)) as f:
            fx = json.load(f)
        spec = fx["spec"]
        v = fx["fixed"]["variants"]["simple_diff_stationary"]
        y = np.array([np.nan if x is None else x for x in fx["series"]], dtype=float)
        ref = reference(y, spec["order"], spec["seasonal_order"], spec["trend"], fx["fixed"]["params"],
                        len(v["forecast"]["mean"]))
        scale = math.sqrt(fx["fixed"]["params"][-1])
        original = v.get("forecast_undifferenced_mean") or v["forecast"]["mean"]
        problems = []
        for what, mine, theirs, rel, abs_ in [
                ("llf", ref["loglik"], v["llf"], 1e-9, 1e-6),
                ("pred", ref["pred"], v["one_step"]["pred"], 1e-7, 1e-7 * scale),
                ("pred_var", ref["pred_var"], v["one_step"]["pred_var"], 1e-7, 1e-9),
                ("forecast mean", ref["mean"], v["forecast"]["mean"], 1e-7, 1e-7 * scale),
                ("forecast se", ref["se"], v["forecast"]["se"], 1e-7, 1e-7 * scale),
                ("mean_original_scale", ref["mean_original_scale"], original, 1e-7, 1e-7 * scale)]:
            theirs = np.array([np.nan if x is None else x for x in np.atleast_1d(theirs)], dtype=float)
            mine = np.atleast_1d(np.asarray(mine, dtype=float))
            mask = ~np.isnan(theirs)
            ok, why = close(mine[mask], theirs[mask], rel, abs_)
            if not ok:
                problems.append(f"{what}: {why}")
        if problems:
            failures += 1
            print(f"REFERENCE DISAGREES with statsmodels on {name}: " + "; ".join(problems))
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--anomaly", default=os.path.join(os.path.dirname(__file__), "..", "bin", "anomaly"))
    ap.add_argument("--fixtures", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "reference",
                                                       "sarima"),
                    help="statsmodels fixtures the reference is first checked against (skipped if absent)")
    a = ap.parse_args()
    if os.path.isdir(a.fixtures):
        bad = check_reference(a.fixtures)
        if bad:
            print(f"the numpy reference disagrees with statsmodels on {bad} fixtures; not checking the CLI")
            return 1
        print(f"reference: agrees with statsmodels on every fixture in {a.fixtures}")
    else:
        print(f"reference: no statsmodels fixtures at {a.fixtures}; the reference is not checked against them")
    rng = np.random.default_rng(a.seed)
    failures = 0
    for c in range(a.cases):
        order, seasonal, trend, params, y = random_case(rng)
        horizon = int(rng.integers(1, 30))
        ref = reference(y, order, seasonal, trend, params, horizon)
        got, cmd = run_cli(a.anomaly, y, order, seasonal, trend, params, horizon)
        label = f"case {c}: {order}{seasonal} trend {trend}, n {len(y)}, missing {int(np.isnan(y).sum())}"
        if got is None:
            failures += 1
            print(f"FAIL {label}: the CLI refused\n  {cmd}")
            continue
        problems = []
        scale = math.sqrt(params[-1])
        checks = [
            ("loglik", got["loglik"], ref["loglik"], 1e-7, 1e-6),
            ("nobs", got["nobs"], ref["nobs"], 0, 0),
            ("aic", got["aic"], ref["aic"], 1e-7, 1e-5),
            ("bic", got["bic"], ref["bic"], 1e-7, 1e-5),
            ("pred", got["one_step"]["pred"], ref["pred"], 1e-6, 1e-6 * scale),
            ("resid", got["one_step"]["resid"], ref["resid"], 1e-6, 1e-6 * scale),
            ("pred_var", got["one_step"]["pred_var"], ref["pred_var"], 1e-6, 1e-9 * params[-1]),
            ("forecast mean", got["forecast"]["mean"], ref["mean"], 1e-6, 1e-6 * scale),
            ("forecast se", got["forecast"]["se"], ref["se"], 1e-6, 1e-6 * scale),
            ("lower95", got["forecast"]["lower95"], ref["lower95"], 1e-6, 1e-6 * scale),
            ("upper95", got["forecast"]["upper95"], ref["upper95"], 1e-6, 1e-6 * scale),
            ("mean_original_scale", got["forecast"]["mean_original_scale"], ref["mean_original_scale"], 1e-6,
             1e-6 * scale),
            ("se_original_scale", got["forecast"]["se_original_scale"], ref["se_original_scale"], 1e-6,
             1e-6 * scale),
        ]
        for name, g, r, rel, abs_ in checks:
            ok, why = close(g, r, rel, abs_)
            if not ok:
                problems.append(f"{name}: {why}")
        if problems:
            failures += 1
            print(f"FAIL {label}\n  {cmd}\n  " + "\n  ".join(problems))
        else:
            print(f"ok   {label}")
    print(f"{a.cases - failures} of {a.cases} cases agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Fit mahoraga's ranking on replays of public repositories' own bug fixes.

    tools/fit_rank.py FEATDIR [--write data/rank_model.def] [--table FILE]

FEATDIR holds owner+name.jsonl (one replay per line: the candidates' features
and which one fixed the bug, from `mahoraga calibrate --features`) and
owner+name.json (the calibrate summary, for the baselines computed by the same
code), as tools/replay_all.sh writes them. tools/replay_repos.txt says which
repositories are held out: they are never used to fit or tune anything and are
only scored with the final model.

The model is a conditional logit: a candidate's score is w . x, the chance that
each candidate is the fixer is the softmax of the scores over the replay's
candidates, and w maximises the likelihood of the real fixers (L2-penalised,
Newton's method). The confidence is a Platt mapping of the top candidate's
chance, fitted on out-of-repository predictions. Evaluation is leave one
repository out: each repository is scored by a model (and a Platt mapping) that
never saw it.

Needs numpy (Debian: python3-numpy).
"""
import argparse
import json
import math
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# the features in core/rank_features.def's order: the C side computes them
with open(os.path.join(HERE, "..", "core", "rank_features.def")) as _f:
    FEATURES = re.findall(r"^RANK_FEATURE\((\w+),", _f.read(), re.M)
L2 = 1.0            # fixed before looking at any held-out repository
ASSIGN_FROM = 60    # triage.assign_threshold's default
MAPPED_CAP = 30     # core/assign: without a mapped frame, at most 30


def read_repos():
    roles = {}
    with open(os.path.join(HERE, "replay_repos.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            repo, commit, lang, role = line.split()
            roles[repo.replace("/", "+")] = (repo, commit, lang, role)
    return roles


def load(featdir, roles):
    data = {}
    for name in roles:
        path = os.path.join(featdir, name + ".jsonl")
        summ = os.path.join(featdir, name + ".json")
        if not os.path.exists(path) or not os.path.exists(summ):
            print("missing replays for", name, file=sys.stderr)
            continue
        try:
            with open(summ) as f:
                json.load(f)
        except ValueError:
            print("no summary (still replaying?) for", name, file=sys.stderr)
            continue
        reps = []
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                xs = [c["x"] for c in r["candidates"]]
                X = np.array(xs, dtype=float).reshape(-1, len(FEATURES))
                y = np.array([c["y"] for c in r["candidates"]], dtype=bool)
                reps.append({"X": X, "y": y, "known": r["known"], "mapped": r["mapped"]})
        with open(summ) as f:
            s = json.load(f)
        base = {p["name"]: (p["top1"], p["top3"]) for p in s["predictors"]}
        data[name] = {"reps": reps, "base": base, "lang": s.get("language")}
    return data


def fit(reps, l2=L2):
    """Conditional logit with an outside option ("none of them", score 0) by
    Newton's method, the step halved until the penalised loss falls: a replay
    whose fixer is no candidate chose the outside."""
    groups = [(r["X"], int(np.argmax(r["y"])) if r["y"].any() else -1) for r in reps if len(r["y"])]

    def loss(w):
        total = 0.5 * l2 * float(w @ w)
        for X, k in groups:
            s = X @ w
            total += float(np.logaddexp.reduce(np.append(s, 0.0))) - (float(s[k]) if k >= 0 else 0.0)
        return total

    w = np.zeros(len(FEATURES))
    cur = loss(w)
    for _ in range(100):
        g = l2 * w
        H = l2 * np.eye(len(w))
        for X, k in groups:
            s = X @ w
            m = max(0.0, s.max())
            e = np.exp(s - m)
            p = e / (e.sum() + math.exp(-m))
            mu = p @ X
            if k >= 0:
                g -= X[k] - mu
            else:
                g += mu
            H += (X * p[:, None]).T @ X - np.outer(mu, mu)
        step = np.linalg.solve(H, g)
        t = 1.0
        while t > 1e-9:
            nw = w - t * step
            new = loss(nw)
            if new <= cur:
                break
            t /= 2
        if t <= 1e-9:
            break
        w, cur = nw, new
        if np.abs(t * step).max() < 1e-7:
            break
    return w


def top_chance(w, X):
    s = X @ w
    m = max(0.0, s.max())
    e = np.exp(s - m)
    p = e / (e.sum() + math.exp(-m))
    order = np.argsort(-s, kind="stable")
    return p, order


def platt(ps, ys):
    """The same fit as core/rank.c's rank_fit_platt: Newton's method with the
    step halved until the loss falls."""
    ps = np.clip(np.array(ps, dtype=float), 1e-6, 1 - 1e-6)
    ys = np.array(ys, dtype=float)
    x = np.log(ps / (1 - ps))
    pos = ys.sum()
    hi, lo = (pos + 1) / (pos + 2), 1 / (len(ys) - pos + 2)
    t = np.where(ys > 0, hi, lo)

    def loss(A, B):
        z = A * x + B
        return float(np.sum(np.logaddexp(0, z) - t * z))

    A, B = 1.0, 0.0
    cur = loss(A, B)
    for _ in range(100):
        q = 1 / (1 + np.exp(-np.clip(A * x + B, -500, 500)))
        d = q - t
        wgt = q * (1 - q)
        g = np.array([d @ x, d.sum()])
        H = np.array([[wgt @ (x * x) + 1e-9, wgt @ x], [wgt @ x, wgt.sum() + 1e-9]])
        step = np.linalg.solve(H, g)
        k = 1.0
        while k > 1e-9:
            nA, nB = A - k * step[0], B - k * step[1]
            new = loss(nA, nB)
            if new <= cur:
                break
            k /= 2
        if k <= 1e-9:
            break
        A, B, cur = nA, nB, new
        if np.abs(k * step).max() < 1e-9:
            break
    return A, B


def confidence(a, b, p, mapped):
    p = min(max(p, 1e-6), 1 - 1e-6)
    z = min(500.0, max(-500.0, a * math.log(p / (1 - p)) + b))
    c = int(round(min(100, max(0, 100 / (1 + math.exp(-z))))))
    return min(c, MAPPED_CAP) if not mapped else c


def predict(w, reps):
    """Per replay: the top candidate's chance, right at 1, right within 3."""
    out = []
    for r in reps:
        if len(r["y"]) == 0:
            out.append((0.0, False, False))
            continue
        p, order = top_chance(w, r["X"])
        out.append((float(p[order[0]]), bool(r["y"][order[0]]), bool(r["y"][order[:3]].any())))
    return out


def score(preds, reps, a, b):
    n = len(preds)
    top1 = sum(1 for p in preds if p[1])
    top3 = sum(1 for p in preds if p[2])
    bands = {}
    auto_n = auto_ok = known = 0
    confs = []
    for (p, right, _), r in zip(preds, reps):
        c = confidence(a, b, p, r["mapped"]) if len(r["y"]) else 0
        confs.append((c, right))
        bands.setdefault(min(c // 10, 10), []).append((c, right))
        if r["known"]:
            known += 1
            if c >= ASSIGN_FROM:
                auto_n += 1
                auto_ok += right
    return {"n": n, "top1": 100 * top1 / n, "top3": 100 * top3 / n, "bands": bands, "confs": confs,
            "auto_n": auto_n, "auto_ok": auto_ok, "known": known}


def ece(confs):
    bands = {}
    for c, right in confs:
        bands.setdefault(min(c // 10, 10), []).append((c, right))
    n = len(confs)
    return sum(len(v) / n * abs(sum(c for c, _ in v) / len(v) - 100 * sum(r for _, r in v) / len(v))
               for v in bands.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("featdir")
    ap.add_argument("--write", help="write the fitted model here (data/rank_model.def)")
    ap.add_argument("--table", help="write the per-repository table (markdown) here")
    args = ap.parse_args()
    roles = read_repos()
    data = load(args.featdir, roles)
    fitnames = sorted(n for n in data if roles[n][3] == "fit")
    held = sorted(n for n in data if roles[n][3] == "held-out")
    total = sum(len(data[n]["reps"]) for n in fitnames)
    print(f"{len(fitnames)} repositories to fit on ({total} replays); {len(held)} held out "
          f"({sum(len(data[n]['reps']) for n in held)} replays)")

    # leave one repository out: each scored by a model that never saw it
    loro_w = {n: fit([r for m in fitnames if m != n for r in data[m]["reps"]]) for n in fitnames}
    loro_pred = {n: predict(loro_w[n], data[n]["reps"]) for n in fitnames}
    rows = []
    all_confs = []
    sums = {"n": 0, "top1": 0, "top3": 0, "l1": 0, "l3": 0, "auto_n": 0, "auto_ok": 0, "known": 0}
    for n in fitnames:
        # its Platt mapping from the other repositories' out-of-repository chances
        ps, ys = [], []
        for m in fitnames:
            if m != n:
                ps += [p for p, _, _ in loro_pred[m]]
                ys += [r for _, r, _ in loro_pred[m]]
        a, b = platt(ps, ys)
        s = score(loro_pred[n], data[n]["reps"], a, b)
        all_confs += s["confs"]
        l1, l3 = data[n]["base"]["last author of the file"]
        rows.append((n, data[n]["lang"], s, l1, l3, "LORO"))
        for k in ("n", "auto_n", "auto_ok", "known"):
            sums[k] += s[k]
        sums["top1"] += s["top1"] * s["n"] / 100
        sums["top3"] += s["top3"] * s["n"] / 100
        sums["l1"] += l1 * s["n"] / 100
        sums["l3"] += l3 * s["n"] / 100

    # the final model: every fitting repository; its Platt mapping from the
    # leave-one-out chances of all of them
    w = fit([r for n in fitnames for r in data[n]["reps"]])
    ps = [p for n in fitnames for p, _, _ in loro_pred[n]]
    ys = [r for n in fitnames for _, r, _ in loro_pred[n]]
    a, b = platt(ps, ys)
    held_confs = []
    for n in held:
        s = score(predict(w, data[n]["reps"]), data[n]["reps"], a, b)
        held_confs += s["confs"]
        l1, l3 = data[n]["base"]["last author of the file"]
        rows.append((n, data[n]["lang"], s, l1, l3, "held out"))

    lines = ["| repository | language | replays | mahoraga top-1 | last author top-1 | mahoraga top-3 | "
             "last author top-3 | auto-assigned (of fixers seen before) | precision | scored |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    wins = 0
    for n, lang, s, l1, l3, how in rows:
        wins += how == "LORO" and s["top1"] >= l1 + 5
        prec = f"{100 * s['auto_ok'] / s['auto_n']:.0f}%" if s["auto_n"] else "-"
        cov = f"{100 * s['auto_n'] / s['known']:.0f}%" if s["known"] else "-"
        lines.append(f"| {roles[n][0]} | {lang} | {s['n']} | {s['top1']:.1f}% | {l1:.1f}% | {s['top3']:.1f}% | "
                     f"{l3:.1f}% | {cov} | {prec} | {how} |")
    N = sums["n"]
    lines.append(f"| **all fitting repositories** | | {N} | **{100 * sums['top1'] / N:.1f}%** | "
                 f"{100 * sums['l1'] / N:.1f}% | **{100 * sums['top3'] / N:.1f}%** | {100 * sums['l3'] / N:.1f}% | "
                 f"{100 * sums['auto_n'] / max(1, sums['known']):.0f}% | "
                 f"{100 * sums['auto_ok'] / max(1, sums['auto_n']):.0f}% | LORO |")
    table = "\n".join(lines)
    print(table)
    print(f"\nleave-one-repository-out: top-1 at least 5 points above the last author in {wins} of "
          f"{len(fitnames)} repositories; expected calibration error {ece(all_confs):.1f} points "
          f"(held out: {ece(held_confs) if held_confs else float('nan'):.1f})")
    bands = {}
    for c, r in all_confs:
        bands.setdefault(min(c // 10, 10), []).append(r)
    above = [r for c, r in all_confs if c > 85]
    print(f"above 85 (drafts): {len(above)} decisions, right {100 * sum(above) / max(1, len(above)):.1f}%")
    print("calibration (LORO): " + ", ".join(
        f"{k * 10}-{k * 10 + 9}: {100 * sum(v) / len(v):.0f}% of {len(v)}" for k, v in sorted(bands.items())))
    print("weights: " + ", ".join(f"{FEATURES[i][5:].lower()}={w[i]:.3f}" for i in range(len(w))))
    print(f"platt: a={a:.4f} b={b:.4f}")
    if args.table:
        with open(args.table, "w") as f:
            f.write(table + "\n")
    if args.write:
        with open(args.write, "w") as f:
            f.write("/* The ranking model (core/rank.h). Written by tools/fit_rank.py; do not edit by hand.\n")
            f.write(f" * Fitted on {total} replayed bug fixes of {len(fitnames)} public repositories\n"
                    " * (tools/replay_repos.txt; the held-out ones were not used). */\n")
            f.write(f'RANK_SOURCE("fitted on {total} replayed fixes of {len(fitnames)} public repositories")\n')
            for i, name in enumerate(FEATURES):
                f.write(f"RANK_WEIGHT({name}, {w[i]:.6f})\n")
            f.write(f"RANK_PLATT({a:.6f}, {b:.6f})\n")


if __name__ == "__main__":
    main()

"""Benchmark of the insights category classifier; writes the "classifier" section of benchmarks.md.

    .venv/bin/python bench/bench_classifier.py

Measures, on ../shared/data/teddy2020/messages_labeled.csv:
  * stratified 5-fold CV (plain) and stratified *grouped* 5-fold CV (near-duplicates kept in one
    fold), with accuracy, macro-F1, per-class F1, and how many predictions clear the review
    threshold and how accurate those are;
  * the untouched hold-out: 30 % of the near-duplicate groups (seeded) were set aside before any
    design choice; everything (features, C, title weight, threshold) was chosen by CV on the other
    70 %. Train on the 70 %, score the 30 % once;
  * throughput on one core, model load time and peak memory of a fresh classifying process.
Each CV model is trained exactly as `train()` trains the shipped one (fixed hyper-parameters, no
search inside the folds), so the CV figures are not tuned on the folds they report.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from liaison.nlp.classifier import MODEL_PATH, REVIEW_THRESHOLD, train  # noqa: E402
from liaison.nlp.grouping import near_duplicate_groups  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "teddy2020" / "messages_labeled.csv"
HOLDOUT_SEED = 20240601
HOLDOUT_SHARE = 0.3

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
PROBE = """
import json, resource, sys, time, tracemalloc
t0 = time.perf_counter()
from liaison.nlp.classifier import load_classifier
t1 = time.perf_counter()
clf = load_classifier(sys.argv[1])
t2 = time.perf_counter()
import csv
with open(sys.argv[2], encoding="utf-8-sig", newline="") as f:
    texts = [(r["title"], r["detail"]) for r in csv.DictReader(f)]
clf.predict(texts[:200])
best = float("inf")
for _ in range(3):
    s = time.perf_counter(); clf.predict(texts); best = min(best, time.perf_counter() - s)
# VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec and would report the parent's peak.
try:
    with open("/proc/self/status") as f:
        maxrss_kb = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
except OSError:
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start(); clf.predict(texts[:1000]); peak_batch = tracemalloc.get_traced_memory()[1]
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "n": len(texts), "seconds": best,
    "maxrss_kb": maxrss_kb, "batch_peak": peak_batch}))
"""


def read_rows() -> tuple[list[tuple[str, str]], np.ndarray]:
    with DATA.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [(r["title"], r["detail"]) for r in rows], np.array([r["label"] for r in rows])


def holdout_mask(groups: list[int]) -> np.ndarray:
    unique = sorted(set(groups))
    random.Random(HOLDOUT_SEED).shuffle(unique)
    held = set(unique[: int(HOLDOUT_SHARE * len(unique))])
    return np.array([g in held for g in groups])


def evaluate(texts: list[tuple[str, str]], y: np.ndarray, splits: list) -> dict:
    labels = np.empty(len(y), dtype=object)
    confidence = np.zeros(len(y))
    for fit_idx, test_idx in splits:
        model = train((*texts[i], y[i]) for i in fit_idx)
        predictions = model.predict([texts[i] for i in test_idx])
        labels[test_idx] = [p.label for p in predictions]
        confidence[test_idx] = [p.confidence for p in predictions]
    index = np.concatenate([test for _fit, test in splits])
    return summarize(y[index], labels[index].astype(str), confidence[index])


def summarize(truth: np.ndarray, labels: np.ndarray, confidence: np.ndarray) -> dict:
    classes = sorted(set(truth))
    sure = confidence >= REVIEW_THRESHOLD
    per_class = f1_score(truth, labels, labels=classes, average=None)
    return {
        "n": len(truth),
        "accuracy": accuracy_score(truth, labels),
        "macro_f1": f1_score(truth, labels, average="macro"),
        "per_class": dict(zip(classes, per_class, strict=True)),
        "coverage": float(sure.mean()),
        "accuracy_sure": float((labels[sure] == truth[sure]).mean()),
        "mean_confidence": float(confidence.mean()),
    }


def probe(model: Path, texts: list[tuple[str, str]]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "messages.csv"
        with data.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "title", "detail"])
            writer.writerows((i, t, d) for i, (t, d) in enumerate(texts))
        env = {**os.environ, "PYTHONPATH": str(ROOT), **ONE_THREAD}
        command = ["taskset", "-c", "0", sys.executable, "-c", PROBE, str(model), str(data)]
        out = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        paths = [str(data), str(Path(tmp) / "out.csv")]
        started = time.perf_counter()
        subprocess.run(
            ["taskset", "-c", "0", sys.executable, "manage.py", "classify_file", *paths],
            cwd=ROOT,
            env={**env, "DEBUG": "1"},
            check=True,
            capture_output=True,
        )
        result["command_seconds"] = time.perf_counter() - started
    return result


def markdown(results: dict, speed: dict, size: int, argv: str) -> str:
    order = ["plain", "grouped", "holdout"]
    titles = {
        "plain": "stratified 5-fold CV",
        "grouped": "stratified grouped 5-fold CV (near-duplicates in one fold)",
        "holdout": "untouched hold-out (30 % of groups; trained on the other 70 %)",
    }
    lines = [
        "## Category classifier (insights)",
        "",
        f"Command: `{argv}`",
        "",
        "Data: `../shared/data/teddy2020/messages_labeled.csv` (7,591 messages, 7 classes). "
        "Model: char 1–3-gram TF-IDF (title ×0.5 + title+detail), multi-class linear SVM + "
        "one-vs-rest NB-SVM (scores summed), temperature-scaled softmax. "
        "Fixed hyper-parameters; nothing is tuned inside the folds. "
        f"Review threshold {REVIEW_THRESHOLD}: *auto* = share of messages at or above it, "
        "*auto acc.* = accuracy on those.",
        "",
        "| protocol | n | accuracy | macro-F1 | auto | auto acc. | mean confidence |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key in order:
        r = results[key]
        lines.append(
            f"| {titles[key]} | {r['n']} | {r['accuracy']:.4f} | {r['macro_f1']:.4f} | "
            f"{r['coverage']:.1%} | {r['accuracy_sure']:.4f} | {r['mean_confidence']:.3f} |"
        )
    lines += [
        "",
        "Per-class F1:",
        "",
        "| class | " + " | ".join(order) + " |",
        "|---|---:|---:|---:|",
    ]
    for name in results["plain"]["per_class"]:
        cells = " | ".join(f"{results[k]['per_class'][name]:.3f}" for k in order)
        lines.append(f"| {name} | {cells} |")
    rate = speed["n"] / speed["seconds"]
    lines += [
        "",
        f"Speed (fresh process pinned to one core, shipped model, all {speed['n']:,} messages "
        "as one batch, best of 3):",
        "",
        f"- throughput: **{rate:,.0f} messages/s** (`Classifier.predict`)",
        f"- `manage.py classify_file` end to end on the same {speed['n']:,} rows, "
        f"Django start-up included: {speed['command_seconds']:.1f} s",
        f"- model file: {size / 1e6:.1f} MB; load {speed['load'] * 1000:.0f} ms "
        f"(+ {speed['import']:.2f} s to import numpy/scipy and the module)",
        f"- peak memory: {speed['maxrss_kb'] / 1024:.0f} MB max RSS for the whole process "
        "(interpreter, model, the 7,591 input texts, classifying them in batches of 1,000); "
        f"tracemalloc peak while classifying 1,000 messages {speed['batch_peak'] / 1e6:.0f} MB",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    texts, y = read_rows()
    groups = near_duplicate_groups(texts)
    results = {}
    started = time.perf_counter()
    plain = list(StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y))
    results["plain"] = evaluate(texts, y, plain)
    print("plain", json.dumps(results["plain"], ensure_ascii=False), flush=True)
    grouped_cv = StratifiedGroupKFold(5, shuffle=True, random_state=0)
    grouped = list(grouped_cv.split(texts, y, groups))
    results["grouped"] = evaluate(texts, y, grouped)
    print("grouped", json.dumps(results["grouped"], ensure_ascii=False), flush=True)
    held = holdout_mask(groups)
    results["holdout"] = evaluate(texts, y, [(np.where(~held)[0], np.where(held)[0])])
    print("holdout", json.dumps(results["holdout"], ensure_ascii=False), flush=True)
    print(f"evaluation took {time.perf_counter() - started:.0f} s", flush=True)
    speed = probe(MODEL_PATH, texts)
    print("speed", speed, flush=True)
    argv = " ".join(
        [".venv/bin/python", "bench/bench_classifier.py", *map(shlex.quote, sys.argv[1:])]
    )
    body = markdown(results, speed, MODEL_PATH.stat().st_size, argv)
    print(body)
    if not args.no_write:
        write_section("classifier", body)


if __name__ == "__main__":
    main()

"""Duplicate search at 10k/100k/1M, grouping 100k, hot topics on 100k; writes two sections.

Hot topics run in a fresh child process, so the peak RSS reported is that of `find_topics` on
100,000 messages, not the 1M-message duplicate index built before it.

The corpus is synthetic, made at run time from the real messages in ../shared/data/teddy2020
(never copied into the project): each synthetic message takes one real title and a window of
another real detail, with ~8 % of characters replaced, so most are distinct; 5 % are planted
re-posts (a real message with a few edits) so queries and groups have something to find.

    .venv/bin/python bench/bench_insights.py [--max 1000000]
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from liaison.nlp.duplicates import DuplicateIndex, group_duplicates  # noqa: E402
from liaison.nlp.topics import Message, find_topics  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "teddy2020"
NOISE = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可"


def load() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for name in ("messages_labeled.csv", "messages_unlabeled.csv"):
        with (DATA / name).open(encoding="utf-8-sig", newline="") as handle:
            rows += [(r["title"], r["detail"]) for r in csv.DictReader(handle)]
    return rows


def perturb(text: str, rng: random.Random, rate: float) -> str:
    chars = list(text)
    for _ in range(int(len(chars) * rate)):
        chars[rng.randrange(len(chars))] = rng.choice(NOISE)
    return "".join(chars)


def synthetic(real: list[tuple[str, str]], n: int, seed: int) -> Iterator[tuple[int, str, str]]:
    rng = random.Random(seed)
    for i in range(n):
        title, detail = real[rng.randrange(len(real))]
        if rng.random() < 0.05:
            yield i, title, perturb(detail, rng, 0.02) if detail else detail
            continue
        other = real[rng.randrange(len(real))][1]
        start = rng.randrange(max(1, len(other) - 200))
        yield (
            i,
            perturb(title, rng, 0.08) if title else title,
            perturb(other[start : start + 400], rng, 0.08) if other else other,
        )


def query_latency(index: DuplicateIndex, real: list[tuple[str, str]]) -> tuple[float, float, int]:
    rng = random.Random(7)
    times: list[float] = []
    hits = 0
    for _ in range(300):
        title, detail = real[rng.randrange(len(real))]
        started = time.perf_counter()
        matches = index.query(title, perturb(detail, rng, 0.02) if detail else detail, k=5)
        times.append((time.perf_counter() - started) * 1000)
        hits += bool(matches)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)], hits


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_precision(real: list[tuple[str, str]]) -> tuple[int, int, int, int]:
    items = [(i, t, d) for i, (t, d) in enumerate(real)]
    groups = group_duplicates(items)
    sample = random.Random(11).sample(groups, min(60, len(groups)))
    good = 0
    for group in sample:
        a, b = real[int(str(group[0]))], real[int(str(group[1]))]
        ratio = SequenceMatcher(None, a[0] + a[1][:300], b[0] + b[1][:300], autojunk=False).ratio()
        good += ratio >= 0.5
    return len(groups), sum(map(len, groups)), len(sample), good


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=1_000_000)
    args = parser.parse_args()
    real = load()
    lines = [
        "## Duplicates (insights)",
        "",
        "Command: `.venv/bin/python bench/bench_insights.py`",
        "",
    ]
    lines += [
        "| indexed | build (s) | query p50 (ms) | query p95 (ms) | queries with a match"
        " | peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    index = DuplicateIndex()
    stream = synthetic(real, args.max, seed=1)
    done = 0
    build_time = 0.0
    for size in (10_000, 100_000, 1_000_000):
        if size > args.max:
            break
        started = time.perf_counter()
        while done < size:
            step = min(20_000, size - done)
            index._add_chunk([next(stream) for _ in range(step)])
            done += step
        index._seal()
        build_time += time.perf_counter() - started
        p50, p95, hits = query_latency(index, real)
        lines.append(
            f"| {size:,} | {build_time:.1f} | {p50:.2f} | {p95:.2f} | {hits}/300"
            f" | {peak_mb():.0f} |"
        )
        print(lines[-1], flush=True)
    del index
    started = time.perf_counter()
    groups = group_duplicates(synthetic(real, 100_000, seed=2))
    group_time = time.perf_counter() - started
    lines += [
        "",
        f"Grouping 100,000 synthetic messages (`group_duplicates`): **{group_time:.1f} s**, "
        f"{len(groups):,} groups of {sum(map(len, groups)):,} messages.",
        "",
    ]
    n_groups, n_members, checked, good = real_precision(real)
    lines += [
        f"Real data ({len(real):,} messages, labeled + unlabeled): {n_groups} near-duplicate "
        f"groups holding {n_members} messages.",
        f"Precision check on {checked} randomly drawn groups (seed 11): {good}/{checked} have a "
        "first pair whose title + first 300 detail characters have a difflib ratio ≥ 0.5 (the "
        "same re-posted text); how groups were read by hand: docs/insights-hot-topics.md.",
    ]
    print("\n".join(lines[-4:]), flush=True)
    write_section("duplicates", "\n".join(lines))
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        topic_time, cpu_time, before_mb, topic_peak, largest = pool.apply(hot_topics_run)
    body = "\n".join(
        [
            "## Hot topics (insights)",
            "",
            "Command: `.venv/bin/python bench/bench_insights.py` (run in a fresh process)",
            "",
            f"`find_topics` on 100,000 synthetic messages (top 50): **{topic_time:.1f} s** "
            f"({cpu_time:.1f} s CPU), peak RSS **{topic_peak:.0f} MB** ({before_mb:.0f} MB before "
            f"the call: interpreter, real data and the 100,000 messages); largest topic "
            f"{largest} messages.",
        ]
    )
    print(body, flush=True)
    write_section("hot-topics", body)


def hot_topics_run() -> tuple[float, float, float, float, int]:
    """(wall s, CPU s, RSS MB before, peak RSS MB, largest topic) of find_topics on 100k."""
    messages = [Message(i, t, d) for i, t, d in synthetic(load(), 100_000, seed=3)]
    before = current_mb()
    started, cpu = time.perf_counter(), time.process_time()
    topics = find_topics(messages, top=50)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return elapsed, cpu, before, high_water_mb(), topics[0].size if topics else 0


def high_water_mb() -> float:
    """VmHWM: this process's own peak (ru_maxrss would include the parent's, inherited by the
    fork that multiprocessing's spawn starts from)."""
    with open("/proc/self/status") as handle:
        line = next(line for line in handle if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def current_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


if __name__ == "__main__":
    main()

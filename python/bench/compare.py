#!/usr/bin/env python3
"""Side by side from Python: samestory (the whole pipeline, and signatures
alone) against datasketch's and rensa's MinHash LSH, on the shared bench
corpus. Each run is its own process (so peak RSS is its own); the peers run
through the shared runner `bench_py.py`, samestory through this script, with
the same loader and the same P/R/F1 against the planted pairs (`common.py`).

    python3 python/bench/compare.py CORPUS.jsonl [--bench ../shared/bench] [--libs ...]

Make the corpus with the shared generator (its venv needs gensim):
    python3 ../shared/bench/gen_corpus.py --n 100000 --seed 42 --out corpus_100k.jsonl
    python3 ../shared/bench/truth.py corpus_100k.jsonl   # exact-Jaccard truth, optional

Runs (each prints one JSON line; a table follows):
  samestory          Detector().cluster(records): the whole pipeline (statistics, features, every
                     kind of candidate, exact scoring, average-linkage stories) on all cores;
                     predicted pairs = every pair within a story.
  samestory_file     Detector().cluster_file(CORPUS): the same, streaming the file (text never held).
  samestory_copies   the copy-level preset (Rust: DetectorBuilder::copies_only): Detector(events=False,
                     linkage="single", cohesion_guard=None).cluster(records): stories are copy groups,
                     the job the peers' MinHash LSH does; predicted pairs = every pair within a group.
  samestory_sign     MinHasher(128).sketch_texts(texts, k=5) on all cores: signatures alone; then,
                     for an F1 comparable with the peers, LSH 32x4 band keys bucketed in Python and
                     estimated J >= 0.5 (timed apart).
  datasketch, rensa_r  the shared runner: signatures (tokens from Python), LSH build, all-pairs
                     query, estimated J >= 0.5, at 128 permutations and 32 bands x 4 rows.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
P = time.perf_counter
C = time.process_time


def common(bench: Path):
    sys.path.insert(0, str(bench))
    import common as c  # the shared loader and scoring

    return c


def quality(c, R, corpus: str, pred: set, clusters: list, key: str = "q_vs_labels") -> None:
    R[key] = c.prf(pred, c.label_pairs(clusters))
    truth = corpus + ".truth.json"
    if os.path.exists(truth):
        with open(truth) as f:
            strict = {tuple(p) for p in json.load(f).get("n5_pairs_ge_0.5", [])}
        R[key.replace("labels", "exactJ")] = c.prf(pred, strict)


def story_pairs(labels: list) -> set:
    by = defaultdict(list)
    for i, l in enumerate(labels):
        by[l].append(i)
    return {(a, b) for m in by.values() if len(m) > 1 for a, b in combinations(m, 2)}


def run_samestory(a) -> dict:
    import samestory

    c = common(Path(a.bench))
    R: dict = {"lib": a.run, "samestory": samestory.__version__}
    t0 = P()
    ids, texts, clusters = c.load(a.corpus)
    R["load_s"] = P() - t0
    R["n_docs"] = n = len(texts)
    if a.run == "samestory":
        t0, c0 = P(), C()
        docs = [{"id": i, "text": t} for i, t in zip(ids, texts)]
        result = samestory.Detector().cluster(docs)
        R["total_s"], R["total_cpu_s"] = P() - t0, C() - c0
        pred = story_pairs(result.labels)
    elif a.run == "samestory_copies":
        t0, c0 = P(), C()
        docs = [{"id": i, "text": t} for i, t in zip(ids, texts)]
        result = samestory.Detector(events=False, linkage="single", cohesion_guard=None).cluster(docs)
        R["total_s"], R["total_cpu_s"] = P() - t0, C() - c0
        pred = story_pairs(result.labels)
    elif a.run == "samestory_file":
        del texts
        t0, c0 = P(), C()
        result = samestory.Detector().cluster_file(a.corpus)
        R["total_s"], R["total_cpu_s"] = P() - t0, C() - c0
        assert result.ids == [str(i) for i in ids]
        pred = story_pairs(result.labels)
    else:  # samestory_sign
        t0, c0 = P(), C()
        hasher = samestory.MinHasher(num_perm=a.perm)
        sketches = hasher.sketch_texts(texts, k=a.ngram)
        R["sign_s"], R["sign_cpu_s"] = P() - t0, C() - c0
        R["total_s"], R["total_cpu_s"] = R["sign_s"], R["sign_cpu_s"]
        R["rss_after_sign_mb"] = c.maxrss_mb()
        t0, c0 = P(), C()
        buckets: dict = defaultdict(list)
        rows = a.perm // a.bands
        for i, s in enumerate(sketches):
            for k in samestory.band_keys(s, a.bands, rows):
                buckets[k].append(i)
        cand = {(x, y) for m in buckets.values() if len(m) > 1 for x, y in combinations(m, 2)}
        pred = {(x, y) for x, y in cand if sketches[x].jaccard(sketches[y]) >= a.thr}
        R["lsh_in_python_s"], R["lsh_in_python_cpu_s"] = P() - t0, C() - c0
        R["n_candidates"] = len(cand)
    R["docs_per_s"] = n / R["total_s"]
    R["docs_per_cpu_s"] = n / R["total_cpu_s"]
    R["peak_rss_mb"] = c.maxrss_mb()
    quality(c, R, a.corpus, pred, clusters)
    if a.run != "samestory_sign":
        # The copy level alone: the pairs the copy rule accepted (what a deduplicator finds).
        pos = {str(i): k for k, i in enumerate(ids)}
        copies = {(pos[p["a"]], pos[p["b"]]) for p in result.pairs() if p["copy"]}
        quality(c, R, a.corpus, copies, clusters, "q_copies_vs_labels")
    return R


def peer(a, lib: str) -> dict:
    cmd = [sys.executable, str(Path(a.bench) / "bench_py.py"), "--lib", lib, "--corpus", a.corpus,
           "--ngram", str(a.ngram), "--perm", str(a.perm), "--bands", str(a.bands), "--thr", str(a.thr), "--skip-tok"]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=a.bench)
    if out.returncode != 0:
        return {"lib": lib, "error": out.stderr.strip().splitlines()[-1:]}
    R = json.loads(out.stdout.strip().splitlines()[-1])
    R["total_s"] = sum(R.get(k, 0.0) for k in ("sign_s", "build_s", "query_s", "score_s"))
    R["total_cpu_s"] = R["lib_cpu_s"]
    R["docs_per_s"] = R["n_docs"] / R["total_s"]
    R["docs_per_cpu_s"] = R["n_docs"] / R["total_cpu_s"]
    R["peak_rss_mb"] = R["rss_end_mb"]
    return R


def table(rows: list) -> str:
    out = ["| run | wall time | docs/s (wall) | docs/s per CPU second | peak RSS | F1 vs planted pairs | F1 vs planted pairs with exact J ≥ 0.5 | F1 of the copy pairs alone |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            out.append(f"| {r['lib']} | failed: {r['error']} | | | | | | |")
            continue
        f1 = r.get("q_vs_labels", {}).get("f1", float("nan"))
        fj = r.get("q_vs_exactJ", {}).get("f1", float("nan"))
        fc = r.get("q_copies_vs_labels", {}).get("f1")
        fc_s = f"{fc:.3f}" if fc is not None else "–"
        out.append(f"| {r['lib']} | {r['total_s']:.1f} s | {r['docs_per_s']:,.0f} | {r['docs_per_cpu_s']:,.0f} | "
                   f"{r['peak_rss_mb']:,.0f} MB | {f1:.3f} | {fj:.3f} | {fc_s} |")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--bench", default=str(REPO.parent / "shared" / "bench"), help="the shared runners (common.py, bench_py.py)")
    ap.add_argument("--libs", default="samestory,samestory_file,samestory_copies,samestory_sign,rensa_r,datasketch")
    ap.add_argument("--ngram", type=int, default=5)
    ap.add_argument("--perm", type=int, default=128)
    ap.add_argument("--bands", type=int, default=32)
    ap.add_argument("--thr", type=float, default=0.5)
    ap.add_argument("--out", help="append each run's JSON line to this file")
    ap.add_argument("--run", help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.corpus = str(Path(a.corpus).resolve())
    if not (Path(a.bench) / "common.py").is_file():
        sys.exit(f"{a.bench}: the shared runners are not there (use --bench)")
    if a.run:
        print(json.dumps(run_samestory(a)))
        return
    rows = []
    for lib in a.libs.split(","):
        if lib.startswith("samestory"):
            cmd = [sys.executable, __file__, a.corpus, "--bench", a.bench, "--run", lib, "--ngram", str(a.ngram),
                   "--perm", str(a.perm), "--bands", str(a.bands), "--thr", str(a.thr)]
            out = subprocess.run(cmd, capture_output=True, text=True)
            r = json.loads(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else {"lib": lib, "error": out.stderr[-300:]}
        else:
            r = peer(a, lib)
        rows.append(r)
        print(json.dumps(r), flush=True)
        if a.out:
            with open(a.out, "a") as f:
                f.write(json.dumps(r) + "\n")
    print()
    print(table(rows))
    by = {r["lib"]: r for r in rows if "error" not in r}
    for run in ("samestory", "samestory_copies"):
        if run in by and "rensa_r" in by:
            print(f"\n{run} (whole pipeline) vs rensa's MinHash LSH alone (wall): "
                  f"{by['rensa_r']['total_s'] / by[run]['total_s']:.2f}x")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Side-by-side: samestory and the peers (datasketch, rensa, the gaoya crate) on
# the same generated corpus, in one run, on one core each; prints their
# figures and samestory's ratios. The peers come from ../shared/bench (their
# runners and corpus generator) and the package registries; none of them is a
# dependency of the crate.
#
# usage: bench/compare.sh [DOCS]        (default 100000; needs ../shared/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-100000}"
shared=../shared/bench
out=bench-out
mkdir -p "$out"
if [ ! -d "$shared" ]; then
  echo "skipped: $shared not found (the peers' runners live beside the repository)"
  exit 0
fi
venv="$out/peers-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q datasketch==2.0.0 rensa==0.5.0 gaoya==0.2.2 gensim==4.4.0 simhash==2.1.2
fi
corpus="$out/corpus_${docs}.jsonl"
if [ ! -f "$corpus" ]; then
  (cd "$shared" && "$OLDPWD/$venv/bin/python" gen_corpus.py --n "$docs" --seed 42 --out "$OLDPWD/$corpus")
fi
cargo build --release -q -p samestory-tools --bin bench_signatures
cargo build --release -q --manifest-path "$shared/gaoya-rs/Cargo.toml" --target-dir "$out/gaoya-target"

results="$out/compare_${docs}.jsonl"
: > "$results"
echo "corpus: $corpus ($docs documents); one core each"
./target/release/bench_signatures "$corpus" --bands 32 | tee -a "$results"
RAYON_NUM_THREADS=1 "$out/gaoya-target/release/gaoya-rs" "$corpus" 5 1 32 4 | tee -a "$results"
for lib in rensa_r datasketch; do
  RAYON_NUM_THREADS=1 "$venv/bin/python" "$shared/bench_py.py" --lib "$lib" --corpus "$corpus" --ngram 5 --bands 32 \
    | tee -a "$results" || echo "{\"lib\": \"$lib\", \"error\": \"run failed\"}" | tee -a "$results"
done

python3 - "$results" "$docs" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
n = int(sys.argv[2])
def sign_rate(r):
    # CPU time of the signature phase where the runner reports it (robust to a busy machine).
    s = r.get("sign_cpu_s")
    if s:
        return n / s
    if "sign_docs_per_s" in r:
        return r["sign_docs_per_s"]
    s = r.get("sign_s")
    return n / s if s else float("nan")
def f1(r):
    if "f1" in r:
        return r["f1"]
    q = r.get("q_vs_labels") or {}
    return q.get("f1", float("nan"))
ours = next((r for r in rows if r.get("lib") == "samestory"), None)
print()
print(f"{'pipeline':<14} {'sign docs/s':>12} {'vs samestory':>13} {'build s':>8} {'query s':>8} {'F1':>6}")
for r in rows:
    rate = sign_rate(r)
    ratio = sign_rate(ours) / rate if ours and rate == rate and rate else float("nan")
    print(f"{r.get('lib','?'):<14} {rate:>12.0f} {ratio:>12.1f}x {r.get('build_s', float('nan')):>8.2f} "
          f"{r.get('query_s', float('nan')):>8.2f} {f1(r):>6.3f}")
PY

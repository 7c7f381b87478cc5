"""Stage functions: shingles, MinHash, exact measures, SimHash, LSH keys."""

from __future__ import annotations

import pytest

import samestory

T1 = "the quick brown fox jumps over the lazy dog"
T2 = "The quick brown fox jumps over the lazy cat"


def test_shingles_and_exact_measures() -> None:
    a = samestory.shingles(T1, k=3, seed=0)
    b = samestory.shingles(T2, k=3, seed=0)
    assert len(a) == 7 and a == sorted(set(a))
    # As the crate's doc example: 6 shared of 8.
    assert samestory.jaccard(a, b) == pytest.approx(6 / 8)
    assert samestory.containment(a, b) == pytest.approx(6 / 7)
    assert samestory.jaccard(a, a + a) == 1.0
    assert samestory.jaccard([], a) == 0.0
    assert samestory.shingles("") == []
    assert len(samestory.shingles("two words", k=5)) == 1
    assert samestory.shingles(T1, seed=1) != samestory.shingles(T1, seed=2)


def test_minhash() -> None:
    h = samestory.MinHasher(num_perm=256, seed=7)
    assert (h.num_perm, h.seed, h.kind) == (256, 7, "one-permutation")
    words = " ".join(f"w{i}" for i in range(300))
    other = words.replace("w150", "x150").replace("w10 ", "x10 ")
    a, b = h.sketch_text(words, k=2), h.sketch_text(other, k=2)
    exact = samestory.jaccard(samestory.shingles(words, 2, 7), samestory.shingles(other, 2, 7))
    assert abs(a.jaccard(b) - exact) < 0.1
    assert len(a) == 256 and len(a.digest()) == 256
    assert a == h.sketch(samestory.shingles(words, 2, 7))
    assert h.sketch_texts([words, other], k=2) == [a, b]
    u = a.union(b)
    assert all(x == min(p, q) for x, p, q in zip(u.digest(), a.digest(), b.digest()))
    e = h.sketch([])
    assert e.is_empty and e.jaccard(a) == 0.0
    c = samestory.MinHasher(num_perm=256, seed=7, kind="classic")
    assert c.kind == "classic" and c.sketch_text(words, 2) != a


def test_simhash() -> None:
    s = samestory.shingles(T1, 3)
    assert samestory.simhash(s) == samestory.simhash(list(reversed(s)))
    assert samestory.simhash([]) == 0
    assert samestory.hamming(0b1011, 0b0001) == 2
    assert samestory.hamming(samestory.simhash(s), samestory.simhash(s)) == 0


def test_lsh() -> None:
    bands, rows = samestory.lsh_params(0.5, 128)
    assert bands * rows <= 128
    assert samestory.collision_probability(0.8, bands, rows) > 0.99
    assert samestory.collision_probability(0.2, bands, rows) < 0.1
    h = samestory.MinHasher()
    a = h.sketch_text(T1 * 3)
    keys = samestory.band_keys(a, bands, rows)
    assert len(keys) == bands
    assert keys == samestory.band_keys(h.sketch_text(T1 * 3), bands, rows)
    assert samestory.band_keys(h.sketch([]), bands, rows) == []

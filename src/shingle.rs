//! Shingles: word k-shingles (character n-grams for scripts without spaces)
//! hashed to `u64`, and exact set measures over them.
//!
//! Each normalized token is hashed once with seeded XXH3
//! ([`token_hash`]); a k-shingle's hash is the seeded XXH3 of its k token
//! hashes' little-endian bytes ([`shingle_hashes`]). Both are pure functions
//! of the normalized bytes and the seed, so they are stable across platforms,
//! runs and versions (`tests/golden.rs` pins them).
//!
//! Tokens of scripts written without spaces are single graphemes
//! ([`crate::text::TokenKind::Char`]), so over such text a word k-shingle is
//! a character k-gram.
//!
//! A [`ShingleSet`] is the sorted, de-duplicated set of a document's shingle
//! hashes: it gives exact Jaccard resemblance `|A∩B| / |A∪B|` and
//! containment `|A∩B| / min(|A|,|B|)` (Broder 1997) in one linear merge.
//! A document shorter than k tokens has one shingle (all its tokens); an empty
//! document has none, and an empty set never matches anything.

use crate::hash::{derive_seed, domain, hash_bytes, hash_u64s};
use crate::text::{Origin, for_each_token, normalize_into};

/// Seeded hash of one normalized token.
#[inline]
pub fn token_hash(normalized: &str, seed: u64) -> u64 {
    TokenHasher::new(seed).hash(normalized)
}

/// [`token_hash`] with its derived seed computed once.
#[derive(Debug, Clone, Copy)]
pub struct TokenHasher(u64);

impl TokenHasher {
    /// A hasher for `seed`.
    pub fn new(seed: u64) -> TokenHasher {
        TokenHasher(derive_seed(seed, domain::TOKEN))
    }

    /// The hash of a normalized token given as bytes (equal to [`hash`](Self::hash) of the same bytes).
    #[inline]
    pub(crate) fn hash_raw(self, normalized: &[u8]) -> u64 {
        hash_bytes(normalized, self.0)
    }

    /// The hash of one normalized token (equal to [`token_hash`]).
    #[inline]
    pub fn hash(self, normalized: &str) -> u64 {
        hash_bytes(normalized.as_bytes(), self.0)
    }
}

/// Appends the normalized token hashes of `text` to `out`.
///
/// Equal to hashing [`normalize_into`] of each [`tokens`] text, faster: an
/// ASCII token's normal form is its lowercase, so such tokens are hashed
/// straight from a lowercase copy of the text.
///
/// [`tokens`]: crate::text::tokens
pub fn hash_tokens(text: &str, seed: u64, out: &mut Vec<u64>) {
    let hasher = TokenHasher::new(seed);
    let lower: Vec<u8> = text.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let mut buf = String::new();
    for_each_token(text, |start, t, origin| {
        out.push(if origin == Origin::Ascii {
            hash_bytes(&lower[start..start + t.len()], hasher.0)
        } else {
            normalize_into(t, &mut buf);
            hasher.hash(&buf)
        });
    });
}

/// Appends the hashes of the k-shingles of `token_hashes` to `out`
/// (unsorted, with repeats). Fewer than `k` tokens give one shingle; none give none.
///
/// `k` of 0 is treated as 1.
pub fn shingle_hashes(token_hashes: &[u64], k: usize, seed: u64, out: &mut Vec<u64>) {
    let k = k.max(1);
    let seed = derive_seed(seed, domain::SHINGLE);
    if token_hashes.is_empty() {
        return;
    }
    if token_hashes.len() <= k {
        out.push(hash_u64s(token_hashes, seed));
        return;
    }
    match k {
        1 => hash_windows::<1>(token_hashes, seed, out),
        2 => hash_windows::<2>(token_hashes, seed, out),
        3 => hash_windows::<3>(token_hashes, seed, out),
        4 => hash_windows::<4>(token_hashes, seed, out),
        5 => hash_windows::<5>(token_hashes, seed, out),
        6 => hash_windows::<6>(token_hashes, seed, out),
        7 => hash_windows::<7>(token_hashes, seed, out),
        8 => hash_windows::<8>(token_hashes, seed, out),
        _ => out.extend(token_hashes.windows(k).map(|w| hash_u64s(w, seed))),
    }
}

/// [`hash_u64s`] of every window of `K` token hashes (`K` at most 16), with
/// the byte length known at compile time so XXH3 runs straight through.
#[inline]
fn hash_windows<const K: usize>(token_hashes: &[u64], seed: u64, out: &mut Vec<u64>) {
    let mut buf = [0u8; 128];
    out.extend(token_hashes.windows(K).map(|w| {
        for (chunk, v) in buf[..8 * K].chunks_exact_mut(8).zip(w) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        hash_bytes(&buf[..8 * K], seed)
    }));
}

/// A sorted set of distinct shingle hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShingleSet(Box<[u64]>);

impl ShingleSet {
    /// Builds the set from hashes in any order, with repeats.
    pub fn from_hashes(mut hashes: Vec<u64>) -> ShingleSet {
        hashes.sort_unstable();
        hashes.dedup();
        ShingleSet(hashes.into_boxed_slice())
    }

    /// Word `k`-shingles of `text` with `seed` (the convenient, allocating path).
    ///
    /// # Example
    /// ```
    /// use samestory::shingle::ShingleSet;
    /// let a = ShingleSet::of_text("the quick brown fox jumps over the lazy dog", 3, 0);
    /// let b = ShingleSet::of_text("The quick brown fox jumps over the lazy cat", 3, 0);
    /// assert_eq!(a.len(), 7);
    /// assert!((a.jaccard(&b) - 6.0 / 8.0).abs() < 1e-12);
    /// ```
    pub fn of_text(text: &str, k: usize, seed: u64) -> ShingleSet {
        let mut toks = Vec::new();
        hash_tokens(text, seed, &mut toks);
        let mut sh = Vec::with_capacity(toks.len());
        shingle_hashes(&toks, k, seed, &mut sh);
        ShingleSet::from_hashes(sh)
    }

    /// The hashes, sorted ascending.
    pub fn as_slice(&self) -> &[u64] {
        &self.0
    }

    /// The hashes as a vector (its allocation can be reused).
    pub fn into_vec(self) -> Vec<u64> {
        self.0.into_vec()
    }

    /// Number of distinct shingles.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No shingles at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `|A ∩ B|`, by a linear merge.
    pub fn intersection_len(&self, other: &ShingleSet) -> usize {
        sorted_intersection_len(&self.0, &other.0)
    }

    /// Exact Jaccard resemblance and containment from one merge; both 0 when
    /// either set is empty.
    pub fn jaccard_and_containment(&self, other: &ShingleSet) -> (f64, f64) {
        jaccard_and_containment(&self.0, &other.0)
    }

    /// Exact Jaccard resemblance; 0 when either set is empty.
    pub fn jaccard(&self, other: &ShingleSet) -> f64 {
        if self.is_empty() || other.is_empty() {
            return 0.0;
        }
        let i = self.intersection_len(other);
        i as f64 / (self.len() + other.len() - i) as f64
    }

    /// Exact containment of the smaller set in the larger, `|A∩B| / min(|A|,|B|)`;
    /// 0 when either set is empty.
    pub fn containment(&self, other: &ShingleSet) -> f64 {
        let m = self.len().min(other.len());
        if m == 0 { 0.0 } else { self.intersection_len(other) as f64 / m as f64 }
    }
}

/// `|A ∩ B|` of two sorted, de-duplicated slices, four elements of each at
/// a time: the 16 equality tests of two blocks have no branches (they
/// vectorize), and the block with the smaller last element moves on (both
/// on a tie). Every equal pair is counted once, when the two blocks holding
/// it meet: a block is passed only when all its elements are at most the
/// other block's last, which the other side's later elements exceed. The
/// tails go through [`merge_intersection_len`].
fn sorted_intersection_len<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    const W: usize = 4;
    let (mut i, mut j, mut n) = (0, 0, 0usize);
    while i + W <= a.len() && j + W <= b.len() {
        let (x, y) = (&a[i..i + W], &b[j..j + W]);
        let mut c = 0u32;
        for &u in x {
            for &v in y {
                c += u32::from(u == v);
            }
        }
        n += c as usize;
        let (xl, yl) = (x[W - 1], y[W - 1]);
        i += W * usize::from(xl <= yl);
        j += W * usize::from(yl <= xl);
    }
    n + merge_intersection_len(&a[i..], &b[j..])
}

/// `|A ∩ B|` of two sorted, de-duplicated slices, by a branch-free merge:
/// the comparisons become flag arithmetic, so the unpredictable branches of
/// a textbook merge disappear.
fn merge_intersection_len<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// Jaccard `|A∩B| / |A∪B|` and containment `|A∩B| / min(|A|,|B|)` of two
/// sorted, de-duplicated slices from one merge; both 0 when either is empty.
fn jaccard_and_containment<T: Ord + Copy>(a: &[T], b: &[T]) -> (f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let i = sorted_intersection_len(a, b) as f64;
    let (x, y) = (a.len() as f64, b.len() as f64);
    (i / (x + y - i), i / x.min(y))
}

/// A document's shingles as a sorted set of 32-bit fingerprints (the high 32
/// bits of each shingle hash): half the memory of a [`ShingleSet`], kept by
/// the detector for exact verification of candidate pairs.
///
/// Two distinct shingles share a fingerprint with probability 2⁻³²; between
/// two documents of ~450 shingles that is about 5·10⁻⁵ spurious shared
/// shingles per pair, so Jaccard and containment are exact for every
/// practical purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Fingerprints(Box<[u32]>);

impl Fingerprints {
    /// The fingerprint of one shingle hash.
    #[inline]
    pub fn fingerprint(hash: u64) -> u32 {
        (hash >> 32) as u32
    }

    /// The fingerprints of a shingle set (still sorted: the high bits keep the order).
    pub fn of(set: &ShingleSet) -> Fingerprints {
        let mut v: Vec<u32> = set.as_slice().iter().map(|&h| Fingerprints::fingerprint(h)).collect();
        v.dedup();
        Fingerprints(v.into_boxed_slice())
    }

    /// The fingerprints, sorted ascending.
    pub fn as_slice(&self) -> &[u32] {
        &self.0
    }

    /// Number of distinct fingerprints.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No shingles at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Does the set hold this shingle hash's fingerprint?
    pub fn contains(&self, hash: u64) -> bool {
        self.0.binary_search(&Fingerprints::fingerprint(hash)).is_ok()
    }

    /// `|A ∩ B|`.
    pub fn intersection_len(&self, other: &Fingerprints) -> usize {
        sorted_intersection_len(&self.0, &other.0)
    }

    /// Jaccard resemblance and containment `|A∩B| / min(|A|,|B|)` from one
    /// merge; both 0 when either set is empty.
    pub fn jaccard_and_containment(&self, other: &Fingerprints) -> (f64, f64) {
        jaccard_and_containment(&self.0, &other.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn block_intersection_equals_merge(
            a in proptest::collection::btree_set(0u32..200, 0..80),
            b in proptest::collection::btree_set(0u32..200, 0..80),
        ) {
            let (a, b): (Vec<u32>, Vec<u32>) = (a.into_iter().collect(), b.into_iter().collect());
            let want = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            proptest::prop_assert_eq!(sorted_intersection_len(&a, &b), want);
            proptest::prop_assert_eq!(merge_intersection_len(&a, &b), want);
            let (a64, b64): (Vec<u64>, Vec<u64>) = (a.iter().map(|&x| u64::from(x)).collect(), b.iter().map(|&x| u64::from(x)).collect());
            proptest::prop_assert_eq!(sorted_intersection_len(&a64, &b64), want);
        }
    }

    #[test]
    fn short_docs_one_shingle_empty_none() {
        assert_eq!(ShingleSet::of_text("two words", 5, 1).len(), 1);
        assert!(ShingleSet::of_text("  ...  ", 5, 1).is_empty());
        let e = ShingleSet::default();
        assert_eq!(e.jaccard(&e), 0.0);
        assert_eq!(e.containment(&ShingleSet::of_text("a b c", 1, 0)), 0.0);
    }

    #[test]
    fn containment_of_lead_in_page() {
        let lead = "President Vladimir Putin said on Wednesday that Russia would help North Korea build satellites";
        let page = format!(
            "Theme Light Dark. {lead}. And then a lot of other unrelated text about many other things entirely."
        );
        let a = ShingleSet::of_text(lead, 5, 0);
        let b = ShingleSet::of_text(&page, 5, 0);
        assert!((a.containment(&b) - 1.0).abs() < 1e-12);
        assert!(a.jaccard(&b) < 0.6);
    }

    #[test]
    fn fingerprints_agree_with_the_set() {
        let a = ShingleSet::of_text("one two three four five six seven eight nine ten eleven", 3, 4);
        let b = ShingleSet::of_text("one two three four five six seven eight nine ten twelve", 3, 4);
        let (fa, fb) = (Fingerprints::of(&a), Fingerprints::of(&b));
        assert_eq!(fa.len(), a.len());
        assert!(fa.as_slice().windows(2).all(|w| w[0] < w[1]));
        let (j, c) = fa.jaccard_and_containment(&fb);
        assert!((j - a.jaccard(&b)).abs() < 1e-12 && (c - a.containment(&b)).abs() < 1e-12);
        assert!(a.as_slice().iter().all(|&h| fa.contains(h)));
    }

    proptest::proptest! {
        #[test]
        fn hash_tokens_equals_hashing_normalized_tokens(text in "\\PC*", ascii in "[ -~\n]{0,60}") {
            for text in [text.as_str(), ascii.as_str()] {
                let mut got = Vec::new();
                hash_tokens(text, 3, &mut got);
                let mut buf = String::new();
                let want: Vec<u64> = crate::text::tokens(text)
                    .map(|t| {
                        normalize_into(t.text, &mut buf);
                        token_hash(&buf, 3)
                    })
                    .collect();
                proptest::prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn fixed_width_windows_equal_hash_u64s() {
        let toks: Vec<u64> = (0..40u64).map(|i| crate::hash::mix64(i + 1)).collect();
        for k in 1..=12 {
            let mut got = Vec::new();
            shingle_hashes(&toks, k, 11, &mut got);
            let seed = derive_seed(11, domain::SHINGLE);
            let want: Vec<u64> = toks.windows(k).map(|w| hash_u64s(w, seed)).collect();
            assert_eq!(got, want, "k = {k}");
        }
    }

    #[test]
    fn case_and_quotes_do_not_matter() {
        let a = ShingleSet::of_text("“That’s why we came here,” Putin replied.", 3, 9);
        let b = ShingleSet::of_text("\"THAT'S why we came here,\" putin replied.", 3, 9);
        assert_eq!(a, b);
    }
}

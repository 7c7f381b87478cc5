//! Seeded, platform-independent hashing: the only caller of `xxhash-rust`.
//!
//! Everything this crate compares or persists (token, term, line and shingle
//! hashes, MinHash and SimHash values, band keys) is derived from
//! [`hash_bytes`], the seeded 64-bit XXH3 of a byte string, and from
//! [`mix64`], a fixed arithmetic finalizer. Neither depends on the platform,
//! the process or the version of `std`, so the same text and seed give the
//! same values on every machine; `tests/golden.rs` pins them.
//! (`std`'s `Hash`, `FxHasher` and aHash are used for in-memory maps only.)

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Seeded 64-bit XXH3 of `bytes`.
#[inline]
pub fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    xxh3_64_with_seed(bytes, seed)
}

/// The `SplitMix64` finalizer: a bijective mix of a 64-bit value.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Derives an independent seed for one use (`domain`) of a master seed.
#[inline]
pub fn derive_seed(seed: u64, domain: u64) -> u64 {
    mix64(seed ^ mix64(domain.wrapping_add(0x9e37_79b9_7f4a_7c15)))
}

/// Hashes a sequence of 64-bit values (e.g. the token hashes of a shingle)
/// as their little-endian bytes, with `seed`.
#[inline]
pub fn hash_u64s(values: &[u64], seed: u64) -> u64 {
    let mut buf = [0u8; 8 * 16];
    if values.len() <= 16 {
        for (chunk, v) in buf.chunks_exact_mut(8).zip(values) {
            chunk.copy_from_slice(&v.to_le_bytes());
        }
        hash_bytes(&buf[..8 * values.len()], seed)
    } else {
        // Streaming XXH3 gives the one-shot hash of the concatenated bytes without a buffer.
        let mut h = xxhash_rust::xxh3::Xxh3::with_seed(seed);
        for v in values {
            h.update(&v.to_le_bytes());
        }
        h.digest()
    }
}

/// Domains for [`derive_seed`]: each use of the master seed gets its own.
pub(crate) mod domain {
    pub const TOKEN: u64 = 1;
    pub const SHINGLE: u64 = 2;
    pub const MINHASH: u64 = 3;
    pub const SIMHASH: u64 = 4;
    pub const LINE: u64 = 5;
    pub const BAND: u64 = 6;
    pub const SOURCE: u64 = 7;
    pub const BIGRAM: u64 = 8;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_change_hashes() {
        assert_ne!(hash_bytes(b"putin", 1), hash_bytes(b"putin", 2));
        assert_eq!(hash_bytes(b"putin", 1), hash_bytes(b"putin", 1));
    }

    #[test]
    fn u64s_long_and_short_agree_with_bytes() {
        let v: Vec<u64> = (0..20).collect();
        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
        assert_eq!(hash_u64s(&v, 7), hash_bytes(&bytes, 7));
        assert_eq!(hash_u64s(&v[..3], 7), hash_bytes(&bytes[..24], 7));
    }

    #[test]
    fn derived_seeds_differ() {
        assert_ne!(derive_seed(0, domain::TOKEN), derive_seed(0, domain::SHINGLE));
    }
}

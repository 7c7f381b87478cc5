//! Golden values: the stability contract of every persisted hash.
//!
//! Token, shingle, MinHash, SimHash and band-key values may be stored by
//! users (sketch databases, band-key buckets written to disk) and compared
//! across machines and releases. Each literal below was computed once by
//! running the code and pinned here.
//!
//! **A change of any literal in this file is a breaking change of persisted
//! hashes and needs a version bump** (and a changelog entry), never a silent
//! update of the literal. A dependency bump (`xxhash-rust`,
//! `unicode-segmentation`) that changes a value fails here first.
//!
//! `mix64` and `derive_seed` were cross-checked against an independent
//! Python implementation of `SplitMix64`, and `hash_bytes(b"", 0)` is the
//! published XXH3-64 value of the empty input.

use samestory::lsh::{HammingIndex, LshParams, band_keys};
use samestory::minhash::{MinHashKind, MinHasher};
use samestory::shingle::{ShingleSet, hash_tokens, token_hash};
use samestory::simhash::{SimHash, SimHasher};
use samestory::{DEFAULT_SEED, Detector, Document};

const TEXT: &str = "President Vladimir Putin said on Wednesday that Russia would help North Korea build \
                    satellites, and Kim Jong Un toured the Vostochny Cosmodrome.";
const MIXED: &str = "Putin’s 1,700 km trip: “That’s why we came here,” he said. 北京で地震 Ｋｉｍ café";

fn text(name: &str) -> &'static str {
    match name {
        "TEXT" => TEXT,
        "MIXED" => MIXED,
        _ => unreachable!("unknown text {name}"),
    }
}

#[test]
fn default_seed_is_pinned() {
    assert_eq!(DEFAULT_SEED, 0x5a3e_5709_2023_0913);
}

#[test]
fn hash_primitives() {
    assert_eq!(samestory::hash::hash_bytes(b"samestory", 0), 0x635f_fdcc_628f_3d0e);
    assert_eq!(samestory::hash::hash_bytes(b"samestory", 42), 0xf92e_cab6_6c2f_ec05);
    // Published XXH3-64 test vector: empty input, seed 0.
    assert_eq!(samestory::hash::hash_bytes(b"", 0), 0x2d06_8005_38d3_94c2);
    assert_eq!(samestory::hash::mix64(1), 0x5692_161d_100b_05e5);
    assert_eq!(samestory::hash::derive_seed(42, 1), 0xa9cb_101b_e2f6_824f);
    assert_eq!(samestory::hash::hash_u64s(&[1, 2, 3], 42), 0x404b_fad9_24fa_0d3b);
}

#[test]
fn token_hashes() {
    let cases: [(u64, &str, u64); 10] = [
        (42, "putin", 0x88c8c956c3ea69a7),
        (42, "russia's", 0x68490a4ce936e0a5),
        (42, "北", 0xaec54102395121d9),
        (42, "café", 0x30874b67d7ec86bc),
        (42, "", 0x102274e133e5bd24),
        (DEFAULT_SEED, "putin", 0x7b133a144e8e461a),
        (DEFAULT_SEED, "russia's", 0x252fe30b3c27b0a5),
        (DEFAULT_SEED, "北", 0x1fadca87f29b8d33),
        (DEFAULT_SEED, "café", 0x015fc30cd6d8d7fe),
        (DEFAULT_SEED, "", 0x023753b2839050c5),
    ];
    for (seed, token, want) in cases {
        assert_eq!(token_hash(token, seed), want, "token_hash({token:?}, {seed:#x})");
    }
}

#[test]
fn normalized_token_hash_sequence() {
    // Covers tokenization (UAX #29 + per-grapheme fallback) and normalization
    // (curly quotes, full-width forms, case) as well as the token hash.
    let cases: [(u64, [u64; 6]); 2] = [
        (
            42,
            [
                0xc709000263348732,
                0xf671bc931b95780e,
                0x3d2935aa3241ec79,
                0x48d3276b65ef141c,
                0x2f6a7d9781197faa,
                0xbe46e6a49fd16b59,
            ],
        ),
        (
            DEFAULT_SEED,
            [
                0x92bca8f45699c576,
                0x42d73ceea1d875a3,
                0x46e1674b6f47d515,
                0xe1294dfb9bf88bff,
                0x43a45f6d380074a4,
                0x5c3f5aa0bb499624,
            ],
        ),
    ];
    for (seed, want) in cases {
        let mut got = Vec::new();
        hash_tokens(MIXED, seed, &mut got);
        assert_eq!(got.len(), 18, "token count of MIXED");
        assert_eq!(got[..6], want, "seed {seed:#x}");
        // The token hashes are exactly the hashes of the pinned normalized forms.
        assert_eq!(got[0], token_hash("putin's", seed));
        assert_eq!(got[17], token_hash("café", seed));
        assert_eq!(got[11], token_hash("北", seed));
    }
}

#[test]
fn shingle_hashes() {
    let cases: [(u64, &str, usize, [u64; 4]); 4] = [
        (42, "TEXT", 18, [0x20d3ffd3977f6580, 0x253ded6562763617, 0x2ccf8faffe39e6dd, 0x40a7699c060b0f3d]),
        (42, "MIXED", 14, [0x180f32e59a2ec69d, 0x4474977e6f6a8ed5, 0x578b5297b66c0f70, 0x6431b38538d6ef2f]),
        (DEFAULT_SEED, "TEXT", 18, [0x02644914925f82b5, 0x11483b7a1f2618f0, 0x1dc9dc92ac3080bb, 0x26a3e0348b555a1e]),
        (DEFAULT_SEED, "MIXED", 14, [0x16d08f4097c2541f, 0x40c0f0a5c37152f5, 0x4af05e302f221d98, 0x53613bed9cf464e2]),
    ];
    for (seed, name, len, first) in cases {
        let s = ShingleSet::of_text(text(name), 5, seed);
        assert_eq!(s.len(), len, "{name} seed {seed:#x}");
        assert_eq!(s.as_slice()[..4], first, "{name} seed {seed:#x}");
    }
}

#[test]
fn minhash_one_permutation_slots() {
    let cases: [(u64, &str, [u32; 8]); 4] = [
        (42, "TEXT", [0xa48dd202, 0x78dda691, 0xc79f3602, 0xc79f3602, 0x1f9127e4, 0x1f9127e4, 0x6bc487c4, 0x3f0177c3]),
        (42, "MIXED", [0x395caf1b, 0x14470b52, 0x195857b4, 0xea14e368, 0xea14e368, 0x1f628448, 0xa706ca19, 0x20b4ade7]),
        (
            DEFAULT_SEED,
            "TEXT",
            [0x0b2d7e8c, 0xa2457d7e, 0x3de59eed, 0xef5f6458, 0x9b57a560, 0x3b50be92, 0xa2457d7e, 0x62f5331a],
        ),
        (
            DEFAULT_SEED,
            "MIXED",
            [0xbf3f5b8f, 0x4bf785eb, 0x989e6342, 0x0119895a, 0x7d413504, 0xf84b09d5, 0xa9e768fc, 0x7d413504],
        ),
    ];
    for (seed, name, want) in cases {
        let h = MinHasher::new(128, seed).unwrap();
        assert_eq!(h.kind(), MinHashKind::OnePermutation);
        let sk = h.sketch(ShingleSet::of_text(text(name), 5, seed).as_slice());
        assert_eq!(sk.slots()[..8], want, "{name} seed {seed:#x}");
    }
}

#[test]
fn minhash_classic_slots() {
    let cases: [(u64, &str, [u32; 8]); 4] = [
        (42, "TEXT", [0x0341b9a3, 0x1180d6df, 0x1b73d5a4, 0x0709e22a, 0x1319251a, 0x073fecbe, 0x02935a75, 0x1046fb24]),
        (42, "MIXED", [0x12625b87, 0x014128db, 0x22097d0f, 0x280e491b, 0x00c5dfab, 0x02299779, 0x08a47737, 0x166f63c0]),
        (
            DEFAULT_SEED,
            "TEXT",
            [0x0b2d7e8c, 0x03f1f342, 0x06bcb5b3, 0x118496ec, 0x0892cbe6, 0x1007f018, 0x01a9c054, 0x013612be],
        ),
        (
            DEFAULT_SEED,
            "MIXED",
            [0x0119895a, 0x095b3f43, 0x23cbcb44, 0x08133c8c, 0x0b6f02cf, 0x0abd5673, 0x02712042, 0x0c45afdb],
        ),
    ];
    for (seed, name, want) in cases {
        let h = MinHasher::with_kind(128, seed, MinHashKind::Classic).unwrap();
        let sk = h.sketch(ShingleSet::of_text(text(name), 5, seed).as_slice());
        assert_eq!(sk.slots()[..8], want, "{name} seed {seed:#x}");
    }
}

#[test]
fn simhash_values() {
    let cases: [(u64, &str, u64); 4] = [
        (42, "TEXT", 0x2464580bbe0bd090),
        (42, "MIXED", 0x8008cea8272055ae),
        (DEFAULT_SEED, "TEXT", 0xe3842a4f86554e86),
        (DEFAULT_SEED, "MIXED", 0x44ca09e2d8901280),
    ];
    for (seed, name, want) in cases {
        let s = ShingleSet::of_text(text(name), 5, seed);
        assert_eq!(SimHasher::new(seed).hash_set(s.as_slice()).0, want, "{name} seed {seed:#x}");
    }
}

#[test]
fn lsh_params_for_default_threshold() {
    // The derived (b, r) decide which band keys exist: pinned too.
    assert_eq!(LshParams::for_threshold(0.5, 128).unwrap(), LshParams { bands: 25, rows: 5 });
    // The detector aims its bands at the lowest Jaccard its copy rule accepts
    // (containment 0.5 on equal sets is Jaccard 1/3).
    assert_eq!(LshParams::for_threshold(1.0 / 3.0, 128).unwrap(), LshParams { bands: 26, rows: 3 });
    let params = Detector::new().params().clone();
    assert_eq!(params.lsh_threshold(), 1.0 / 3.0);
    assert_eq!(
        LshParams::for_threshold(params.lsh_threshold(), params.sketch.num_perm).unwrap(),
        LshParams { bands: 26, rows: 3 }
    );
    // The detector's own band keys are those of 26 bands of 3 rows
    // (`detector_features_of_a_single_line_document` checks them).
}

#[test]
fn band_key_values() {
    let default_params: [(u64, &str, [u64; 4]); 4] = [
        (42, "TEXT", [0xe9a50d8e253452c0, 0xf59ef4ab545b40e1, 0x3309191b765e66b6, 0x93c27482e864011b]),
        (42, "MIXED", [0x8304eeb29c741790, 0x7fe5d5688d88f7d7, 0x7c088546fd88320e, 0xf0fc7f1d3fe40493]),
        (DEFAULT_SEED, "TEXT", [0xdf1ea92faef87b42, 0x697b315984b40666, 0x3376dced88129b65, 0x199b883dd52e3ccf]),
        (DEFAULT_SEED, "MIXED", [0x0cc87909c0eb480d, 0x82ef1221f02d3f43, 0xd93b9bfc57c8da6a, 0xd188011eea4219ab]),
    ];
    for (seed, name, want) in default_params {
        let sk = MinHasher::new(128, seed).unwrap().sketch(ShingleSet::of_text(text(name), 5, seed).as_slice());
        let keys = band_keys(&sk, LshParams { bands: 25, rows: 5 }, seed).unwrap();
        assert_eq!(keys.len(), 25);
        assert_eq!(keys[..4], want, "{name} seed {seed:#x}");
    }
    let four_by_eight: [(u64, &str, [u64; 4]); 4] = [
        (42, "TEXT", [0x9062c3e069c01814, 0x06e75ca4c0483702, 0x6edfe52a76bf36a7, 0x9c462db5709516d3]),
        (42, "MIXED", [0x7a529382d63525cb, 0xa61d7c364dcac635, 0xc215c1abce3223a4, 0x54e7ab936cec2fad]),
        (DEFAULT_SEED, "TEXT", [0x1b471f93eefc5cf2, 0xfae323e330414ace, 0x7718be64968ae94e, 0x363f15c9d9ee1f41]),
        (DEFAULT_SEED, "MIXED", [0x5594bf1d937607b6, 0x05f5eb29c52ddb81, 0x4d01dc746d16490c, 0x29060040259c506d]),
    ];
    for (seed, name, want) in four_by_eight {
        let sk = MinHasher::new(128, seed).unwrap().sketch(ShingleSet::of_text(text(name), 5, seed).as_slice());
        let keys = band_keys(&sk, LshParams::new(4, 8).unwrap(), seed).unwrap();
        assert_eq!(keys, want, "{name} seed {seed:#x}");
    }
}

/// The parts of `Features::to_bytes` (format 2, hard-coded here: the
/// features are opaque) that hold persisted hashes: the 32-bit shingle
/// fingerprints, the MinHash slots and the SimHash (the lead's
/// fingerprints, between them, are checked to be shingle fingerprints).
fn hashes_in(bytes: &[u8]) -> (Vec<u32>, Vec<u32>, u64) {
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let u32s_at = |at: usize, n: usize| -> Vec<u32> {
        bytes[at..at + 4 * n].chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().unwrap())).collect()
    };
    assert_eq!(bytes[..3], *b"SF\x02", "features format 2");
    let n = u64_at(3) as usize;
    let fingerprints = u32s_at(11, n);
    let mut at = 11 + 4 * n;
    let lead_len = u64_at(at) as usize;
    let lead = u32s_at(at + 8, lead_len);
    assert!(!lead.is_empty() && lead.len() <= 24, "the lead: up to 24 fingerprints");
    assert!(lead.windows(2).all(|w| w[0] < w[1]) && lead.iter().all(|x| fingerprints.binary_search(x).is_ok()));
    at += 8 + 4 * lead_len;
    assert_eq!(bytes[at], 0, "not the sketch of an empty set");
    let k = u64_at(at + 1) as usize;
    at += 9;
    let slots = u32s_at(at, k);
    (fingerprints, slots, u64_at(at + 4 * k))
}

#[test]
fn detector_features_of_a_single_line_document() {
    // The detector's analysis path (lines, boilerplate filter, shingles) on a
    // one-line document gives exactly the standalone values above.
    let d = Detector::new();
    let stages = d.stages();
    let docs = [Document::new("a", TEXT)];
    let stats = stages.learn(&docs).unwrap();
    let f = &stages.features(&docs, &stats).unwrap()[0];
    let (fingerprints, slots, simhash) = hashes_in(&f.to_bytes());
    assert_eq!(fingerprints.len(), 18);
    // The detector keeps 32-bit fingerprints: the high halves of the shingle hashes above.
    assert_eq!(fingerprints[..4], [0x02644914, 0x11483b7a, 0x1dc9dc92, 0x26a3e034]);
    assert_eq!(
        slots[..8],
        [0x0b2d7e8c, 0xa2457d7e, 0x3de59eed, 0xef5f6458, 0x9b57a560, 0x3b50be92, 0xa2457d7e, 0x62f5331a]
    );
    assert_eq!(simhash, 0xe3842a4f86554e86);
    // The whole sketch is the standalone one, and the detector's keys are
    // those of its parameters: 26 bands of 3 rows, SimHash blocks for 3 bits.
    let standalone =
        MinHasher::new(128, DEFAULT_SEED).unwrap().sketch(ShingleSet::of_text(TEXT, 5, DEFAULT_SEED).as_slice());
    assert_eq!(slots, standalone.slots());
    let keys = stages.band_keys(f);
    assert_eq!(keys, band_keys(&standalone, LshParams { bands: 26, rows: 3 }, DEFAULT_SEED).unwrap());
    let blocks: Vec<u64> = HammingIndex::new(3).keys(SimHash(simhash)).collect();
    assert_eq!(stages.simhash_keys(f), blocks);
}

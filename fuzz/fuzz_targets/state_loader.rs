//! The state loader on hostile bytes: `Detector::from_bytes` must never
//! panic, never allocate beyond what the input holds, and anything it
//! accepts must save back to a state that loads to the same bytes.
//!
//! A random file almost never passes the section checksums, so most inputs
//! are *sealed* first: byte 0 even means the rest is split into four section
//! payloads (each a little-endian `u32` length, then that many bytes) and
//! wrapped in a valid header with correct checksums, so the fuzzer reaches
//! the decoders and the consistency checks behind them. Byte 0 odd passes
//! the rest as it is (header, version, tags, lengths, checksums).
#![no_main]

use libfuzzer_sys::fuzz_target;
use samestory::Detector;
use samestory::hash::hash_bytes;
use samestory::persist::{CHECKSUM_SEED, MAGIC, SECTIONS, VERSION};

fn seal(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rest.len() + 100);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(SECTIONS.len() as u32).to_le_bytes());
    for tag in SECTIONS {
        let (len, body) = match rest {
            [a, b, c, d, tail @ ..] => (u32::from_le_bytes([*a, *b, *c, *d]) as usize, tail),
            _ => (0, &[][..]),
        };
        let take = len.min(body.len());
        let payload = &body[..take];
        rest = &body[take..];
        out.extend_from_slice(&tag);
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&hash_bytes(payload, CHECKSUM_SEED).to_le_bytes());
        out.extend_from_slice(payload);
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let file = if mode & 1 == 0 { seal(rest) } else { rest.to_vec() };
    if let Ok(d) = Detector::from_bytes(&file) {
        let again = d.to_bytes();
        let reloaded = Detector::from_bytes(&again).expect("a saved state must load");
        assert!(reloaded.to_bytes() == again, "save -> load -> save changed the bytes");
    }
});

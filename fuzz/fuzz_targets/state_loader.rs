//! The state loader on hostile bytes: `Tracker::from_bytes` must never
//! panic, never allocate beyond what the input holds, and anything it
//! accepts must save back to a state that loads to the same bytes, and be
//! a tracker that works: its stories, explanations, a query and an add of
//! one more document, and removing a held document do not panic.
//!
//! A random file almost never passes the section checksums, so most inputs
//! are *sealed* first: byte 0 even means the rest is split into four section
//! payloads (each a little-endian `u32` length, then that many bytes) and
//! wrapped in a valid header with correct checksums, so the fuzzer reaches
//! the decoders and the consistency checks behind them. Byte 0 odd passes
//! the rest as it is (header, version, tags, lengths, checksums).
//!
//! The state layout is private to the crate, so it is written out here
//! (format version 2): a 16-byte header (magic `SAMESTRY`, `u32` version 2,
//! `u32` section count 4), then the sections `CONF`, `STAT`, `DOCS`, `LIVE`,
//! each a 4-byte tag, a `u64` payload length, a `u64` checksum (seeded XXH3
//! of the payload) and the payload; integers little-endian.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samestory::hash::hash_bytes;
use samestory::{Document, Tracker};

const MAGIC: [u8; 8] = *b"SAMESTRY";
const VERSION: u32 = 2;
const SECTIONS: [[u8; 4]; 4] = [*b"CONF", *b"STAT", *b"DOCS", *b"LIVE"];
const CHECKSUM_SEED: u64 = 0x5a3e_c4ec_6b5e_0001;

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
    let Ok(mut t) = Tracker::from_bytes(&file) else { return };
    let again = t.to_bytes();
    let reloaded = Tracker::from_bytes(&again).expect("a saved state must load");
    assert!(reloaded.to_bytes() == again, "save -> load -> save changed the bytes");

    // The accepted state is a working tracker.
    let ids: Vec<String> = t.stories().flat_map(|s| s.members.into_iter().map(str::to_string)).collect();
    assert_eq!(ids.len(), t.len(), "stories() are not a partition of the held documents");
    for id in &ids {
        let s = t.story_of(id).expect("a member is held");
        assert!(t.story(s).is_some_and(|st| st.members.contains(&id.as_str())));
    }
    if let [a, b, ..] = ids.as_slice() {
        t.explain(a, b).expect("explain of two held documents");
    }
    let doc = Document::new("fuzz-new", "Storm Ciarán hit Brittany on Thursday with gusts of 207 km/h.");
    let placed = t.query(&doc);
    if let Ok(a) = t.add(doc) {
        assert_eq!(placed.map(|p| p.matches).ok(), Some(a.matches), "query and add find other matches");
    }
    if let Some(id) = ids.first() {
        // Expiry at the end of the add may have removed it already.
        let _ = t.remove(id);
    }
    let _ = t.to_bytes();
});

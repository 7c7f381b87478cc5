//! Lines: the non-blank lines of a text ([`lines`]), and the newline finder
//! ([`find_newline`]) that the JSON Lines reader and the analyzer share.

/// Iterator over the non-blank lines of a text with their byte offsets.
///
/// A line is a run of text between `\n` (a `\r` before it is dropped).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut offset = 0;
    text.split('\n').filter_map(move |line| {
        let start = offset;
        offset += line.len() + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() { None } else { Some((start, line)) }
    })
}

/// Position of the first `\n` in `bytes`, eight bytes at a time.
pub(crate) fn find_newline(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8])) ^ (ONES * u64::from(b'\n'));
        // A zero byte of `word` is a newline; this is non-zero exactly when there is one.
        let zero = word.wrapping_sub(ONES) & !word & HIGHS;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| b == b'\n').map(|i| at + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_skip_blank() {
        let l: Vec<_> = lines("a\r\n\n  \nb").collect();
        assert_eq!(l, vec![(0, "a"), (7, "b")]);
    }

    #[test]
    fn find_newline_equals_position() {
        let mut bytes = vec![b'a'; 40];
        assert_eq!(find_newline(&bytes), None);
        for at in [0, 1, 7, 8, 9, 15, 16, 31, 38, 39] {
            bytes[at] = b'\n';
            assert_eq!(find_newline(&bytes), bytes.iter().position(|&b| b == b'\n'), "newline at {at}");
            for from in 0..bytes.len() {
                assert_eq!(find_newline(&bytes[from..]), bytes[from..].iter().position(|&b| b == b'\n'));
            }
        }
        // Bytes next to 0x0a in value never count.
        let near: Vec<u8> = (0..=255u8).filter(|&b| b != b'\n').collect();
        assert_eq!(find_newline(&near), None);
    }
}

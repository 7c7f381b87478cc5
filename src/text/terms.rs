//! Term forms: the form of a normalized token that salient terms are counted by.

/// The term form of a normalized token: a trailing possessive `'s` or `'` is
/// dropped, so `Russia's` and `Russia` are one salient term.
pub fn term_form(normalized: &str) -> &str {
    let t = normalized.strip_suffix("'s").unwrap_or(normalized);
    let t = t.strip_suffix('\'').unwrap_or(t);
    if t.is_empty() { normalized } else { t }
}

/// [`term_form`] of an ASCII normalized token, as bytes.
#[inline]
pub(crate) fn term_form_bytes(normalized: &[u8]) -> &[u8] {
    let t = normalized.strip_suffix(b"'s").unwrap_or(normalized);
    let t = t.strip_suffix(b"'").unwrap_or(t);
    if t.is_empty() { normalized } else { t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_form_drops_possessive() {
        assert_eq!(term_form("russia's"), "russia");
        assert_eq!(term_form("'s"), "'s");
        assert_eq!(term_form("kims'"), "kims");
    }
}

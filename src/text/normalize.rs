//! Normalization of a token: case folding, quote, dash and full-width
//! folding, invisible characters removed (see the [`crate::text`] docs).

/// Folds one character: quotes, apostrophes, dashes and full-width forms.
#[inline]
fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{FF07}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{00A0}' | '\u{3000}' => ' ',
        _ => c,
    }
}

/// Invisible characters that change no reading of the text: the
/// `Default_Ignorable_Code_Point` format characters (general category Cf),
/// the combining grapheme joiner, variation selectors and tag characters.
#[inline]
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}')
}

/// Writes the normalized form of `token` into `out` (cleared first).
///
/// # Example
/// ```
/// let mut s = String::new();
/// samestory::text::normalize_into("Russia’s", &mut s);
/// assert_eq!(s, "russia's");
/// samestory::text::normalize_into("ＫＩＭ", &mut s);
/// assert_eq!(s, "kim");
/// ```
pub fn normalize_into(token: &str, out: &mut String) {
    out.clear();
    if token.is_ascii() {
        out.push_str(token);
        out.make_ascii_lowercase();
        return;
    }
    for c in token.chars() {
        if is_invisible_format(c) {
            continue;
        }
        let c = fold_char(c);
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens;

    fn norm(s: &str) -> String {
        let mut out = String::new();
        normalize_into(s, &mut out);
        out
    }

    #[test]
    fn quotes_fold_alike() {
        assert_eq!(norm("Russia’s"), norm("Russia's"));
        assert_eq!(norm("Ｒｕｓｓｉａ"), "russia");
        assert_eq!(norm("ÉTÉ"), "été");
    }

    #[test]
    fn curly_and_straight_copies_tokenize_alike() {
        let a = "“That’s why we came here,” Putin said.";
        let b = "\"That's why we came here,\" Putin said.";
        let na: Vec<String> = tokens(a).map(|t| norm(t.text)).collect();
        let nb: Vec<String> = tokens(b).map(|t| norm(t.text)).collect();
        assert_eq!(na, nb);
        assert_eq!(na[0], "that's");
    }
}

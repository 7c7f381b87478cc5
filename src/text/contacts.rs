//! Contact details in a text: phone numbers (tip lines, newsroom numbers),
//! email addresses and web addresses. A police department's tip line or a
//! station's newsroom number recurs in its reports of *different* events,
//! so its digits are no evidence that two reports tell one event: their
//! tokens are kept in the text (and its shingles) but never become
//! salient terms.

/// The byte ranges of the contact details of `text`, in order, not overlapping.
pub(crate) fn contact_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let found = match b[i] {
            b'0'..=b'9' | b'(' | b'+' if boundary => phone(b, i),
            b'h' | b'H' | b'w' | b'W' if boundary => web(b, i),
            _ => None,
        };
        match found.or_else(|| email(b, i)) {
            Some((from, to)) => {
                out.push((from, to));
                i = to;
            }
            None => i += 1,
        }
    }
    out
}

fn digits(b: &[u8], at: usize) -> usize {
    b[at.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count()
}

/// Ends at a word boundary: the end, or neither a letter nor a digit next.
fn ends(b: &[u8], at: usize) -> bool {
    b.get(at).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// A phone number starting at `i`: `+CC` groups, `(ddd) ddd-dddd`,
/// `ddd-ddd-dddd`, `ddd.ddd.dddd`, `1-800-ddd-dddd`, `ddd-dddd`, and vanity
/// numbers ending in four capitals (`471-TIPS`, `1-800-222-TIPS`).
fn phone(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if b[i] == b'+' {
        // International: `+` then groups of digits separated by one space, `-` or `.`: 8–15 digits.
        let (mut j, mut total, mut groups) = (i + 1, 0, 0);
        loop {
            let n = digits(b, j);
            if n == 0 {
                break;
            }
            total += n;
            groups += 1;
            j += n;
            if matches!(b.get(j), Some(b' ' | b'-' | b'.')) && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        return ((8..=15).contains(&total) && groups >= 2 && ends(b, j)).then_some((i, j));
    }
    let mut j = i;
    // `1-800-`: a leading 1 and a separator.
    if b[j] == b'1' && matches!(b.get(j + 1), Some(b'-' | b'.' | b' ')) && digits(b, j + 2) == 3 {
        j += 2;
    }
    // The area code: `(ddd)` with an optional space, or `ddd` and a separator.
    let area = if b.get(j) == Some(&b'(') && digits(b, j + 1) == 3 && b.get(j + 4) == Some(&b')') {
        j += 5;
        if b.get(j) == Some(&b' ') {
            j += 1;
        }
        true
    } else if digits(b, j) == 3 && matches!(b.get(j + 3), Some(b'-' | b'.' | b' ')) && digits(b, j + 4) == 3 {
        j += 4;
        true
    } else {
        false
    };
    // The exchange, a separator, and four digits or four capitals.
    if digits(b, j) != 3 || !matches!(b.get(j + 3), Some(b'-' | b'.')) {
        return None;
    }
    // A bare `ddd-dddd` only with `-` (`ddd.dddd` is a decimal number).
    if !area && b.get(j + 3) != Some(&b'-') {
        return None;
    }
    let k = j + 4;
    let vanity = b.len() >= k + 4 && b[k..k + 4].iter().all(u8::is_ascii_uppercase);
    ((digits(b, k) == 4 || vanity) && ends(b, k + 4)).then_some((i, k + 4))
}

/// A web address starting at `i`: `http://`, `https://` or `www.`, to the next space.
fn web(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let rest = &b[i..];
    let starts = [b"http://".as_slice(), b"https://", b"www."]
        .iter()
        .any(|p| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p));
    if !starts {
        return None;
    }
    let len = rest.iter().take_while(|c| !c.is_ascii_whitespace() && **c != b'<' && **c != b'"').count();
    Some((i, i + len))
}

/// An email address whose `@` is at `i`: the address characters around it,
/// with a dot after the `@`.
fn email(b: &[u8], i: usize) -> Option<(usize, usize)> {
    if b[i] != b'@' {
        return None;
    }
    let local = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let start = i - b[..i].iter().rev().take_while(|c| local(c)).count();
    let host = b[i + 1..].iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')).count();
    let mut end = i + 1 + host;
    while end > i + 1 && b[end - 1] == b'.' {
        end -= 1;
    }
    (start < i && b[i + 1..end].contains(&b'.')).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::contact_spans;

    fn found(text: &str) -> Vec<&str> {
        contact_spans(text).into_iter().map(|(a, b)| &text[a..b]).collect()
    }

    #[test]
    fn phone_numbers_of_every_common_shape() {
        assert_eq!(
            found("Call 713-308-3600, (504) 822-1111, 410.396.2221, 1-800-222-TIPS, 471-TIPS or 555-0134."),
            ["713-308-3600", "(504) 822-1111", "410.396.2221", "1-800-222-TIPS", "471-TIPS", "555-0134"]
        );
        assert_eq!(found("Ring +44 20 7946 0958 today"), ["+44 20 7946 0958"]);
    }

    #[test]
    fn dates_scores_counts_and_decimals_are_not_phone_numbers() {
        for text in [
            "On 2015-07-06 at 3:10 a.m.",
            "They won 24-17 before 1,200 fans.",
            "Rates rose 4.5 percent to 104.25.",
            "The 300 block of North Street, 12-year-old boy, 2014-2015 season",
            "Flight 370 left at 12.45; case 2015-CF-1234",
            "+5 degrees",
        ] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn emails_and_web_addresses() {
        assert_eq!(
            found("Write to tips@wral.com. See www.cbsdfw.com/news or https://example.org/a?b=1 now"),
            ["tips@wral.com", "www.cbsdfw.com/news", "https://example.org/a?b=1"]
        );
        assert!(found("Meet @ noon; email@ nowhere").is_empty());
    }

    #[test]
    fn spans_are_ordered_and_on_char_boundaries() {
        let text = "Ring 713-308-3600 — écrivez à info@exemple.fr, 見て www.例え.jp";
        let spans = contact_spans(text);
        assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0));
        for (a, b) in spans {
            assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        }
    }
}

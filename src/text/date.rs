//! Calendar dates: a tiny proleptic-Gregorian `Date`, ISO parsing, and
//! finding a publication date in the first lines of an article.
//!
//! Reports of one event appear within days of each other, while the same
//! kind of event months apart is another story, so the detector compares
//! dates. Many pages carry their date only in the text ("Published: March 12,
//! 2013", "Jan 5, 2011 – 4:35 PM", "date 2023-09-13"); [`find_date`] looks for
//! one in the head of the text when a document has no date field.

use std::fmt;

use crate::error::{Error, ErrorKind};

/// A calendar date, stored as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The date of `year-month-day`, or `None` when it does not exist.
    ///
    /// Years 1000–9999 are accepted.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        // Days from civil (H. Hinnant), exact for the proleptic Gregorian calendar.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// Parses `YYYY-MM-DD` (a trailing time such as `T10:00:00Z` is ignored).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidDate`] when the text is not such a date.
    ///
    /// # Example
    /// ```
    /// use samestory::Date;
    /// let a = Date::parse("2023-09-13")?;
    /// let b = Date::parse("2023-10-13")?;
    /// assert_eq!(b.days_since(a), 30);
    /// # Ok::<(), samestory::Error>(())
    /// ```
    pub fn parse(text: &str) -> Result<Date, Error> {
        parse_iso(text.trim()).ok_or_else(|| Error::new(ErrorKind::InvalidDate { text: text.to_string() }))
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i32 {
        self.0
    }

    /// The date `days` days after 1970-01-01.
    pub fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// `self - other` in days (saturating at the `i32` range).
    pub fn days_since(self, other: Date) -> i32 {
        (i64::from(self.0) - i64::from(other.0)).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }

    /// Year, month and day.
    pub fn ymd(self) -> (i32, u32, u32) {
        // In i64, so every i32 day count converts without overflow; years
        // beyond the i32 range saturate.
        let z = i64::from(self.0) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i64::from(m <= 2);
        (y.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

fn parse_iso(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && b[10].is_ascii_digit() {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) { part.parse().ok() } else { None }
    };
    Date::from_ymd(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names, in any case, with or without a final `.`: the
/// full name, its first three letters, or `sept`. No allocation: it runs on
/// every word of every document's head.
fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').as_bytes();
    // Month names are 3 to 9 ASCII letters starting with one of these.
    if !(3..=9).contains(&w.len()) || !b"jfmasond".contains(&w[0].to_ascii_lowercase()) {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            let m = m.as_bytes();
            m.eq_ignore_ascii_case(w)
                || (w.len() == 3 && m[..3].eq_ignore_ascii_case(w))
                || (w.eq_ignore_ascii_case(b"sept") && m.starts_with(b"sept"))
        })
        .map(|i| i as u32 + 1)
}

/// Looks for a publication date in the first lines of `text` (at most the
/// first 6 non-blank lines and 600 bytes): ISO dates (`2023-09-13`), and
/// month-name dates in either order (`March 12, 2013`, `Apr 12 2007`,
/// `FEB. 2, 2009`, `12 March 2013`).
///
/// # Example
/// ```
/// use samestory::text::find_date;
/// let d = find_date("Pierre Thomas Placed on Injured Reserve\nJan 5, 2011 – 4:35 PM\n...");
/// assert_eq!(d.map(|d| d.to_string()).as_deref(), Some("2011-01-05"));
/// ```
pub fn find_date(text: &str) -> Option<Date> {
    let mut end = text.len().min(600);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    let head = match super::lines(head).nth(6) {
        Some((off, _)) => &head[..off],
        None => head,
    };
    // ISO dates first: unambiguous.
    let bytes = head.as_bytes();
    for i in 0..bytes.len().saturating_sub(9) {
        if bytes[i].is_ascii_digit()
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
            && !bytes.get(i + 10).is_some_and(u8::is_ascii_digit)
            && let Some(d) = head.get(i..i + 10).and_then(parse_iso)
        {
            return Some(d);
        }
    }
    // Month-name dates over the head's words.
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '–' || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let num = |w: &str| -> Option<u32> {
        let w = w.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        if !w.is_empty() && w.len() <= 4 && w.bytes().all(|c| c.is_ascii_digit()) { w.parse().ok() } else { None }
    };
    for i in 0..words.len() {
        let Some(month) = month_of(words[i]) else { continue };
        // Month Day Year
        if let (Some(d), Some(y)) = (words.get(i + 1).and_then(|w| num(w)), words.get(i + 2).and_then(|w| num(w)))
            && let Some(date) = Date::from_ymd(y as i32, month, d)
        {
            return Some(date);
        }
        // Day Month Year
        if i > 0
            && let (Some(d), Some(y)) = (num(words[i - 1]), words.get(i + 1).and_then(|w| num(w)))
            && let Some(date) = Date::from_ymd(y as i32, month, d)
        {
            return Some(date);
        }
    }
    None
}

/// A date is written as its ISO 8601 text (`2023-09-13`).
#[cfg(feature = "serde")]
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A date is read from ISO 8601 text, as [`Date::parse`] reads it.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `month_of` as first written (lowercasing into a new string): the oracle.
    fn month_of_reference(word: &str) -> Option<u32> {
        let w = word.to_ascii_lowercase();
        let w = w.trim_end_matches('.');
        if w.len() < 3 {
            return None;
        }
        MONTHS
            .iter()
            .position(|m| *m == w || (w.len() >= 3 && m.starts_with(w) && (w.len() == 3 || w == "sept")))
            .map(|i| i as u32 + 1)
    }

    proptest::proptest! {
        #[test]
        fn month_of_equals_reference(
            // Month names, their prefixes and longer words that start like them, in any case.
            word in proptest::string::string_regex(
                "(?i)((jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|june|july|march|september|december|ma|s|se|é)[a-zé]{0,3}|[a-zé.]{0,10})[.]{0,2}"
            ).unwrap()
        ) {
            proptest::prop_assert_eq!(month_of(&word), month_of_reference(&word));
        }
    }

    #[test]
    fn round_trip_days() {
        for days in [-1_000_000 / 3, -1, 0, 1, 19_613, 2_000_000] {
            let d = Date::from_days(days);
            let (y, m, dd) = d.ymd();
            if (1000..=9999).contains(&y) {
                assert_eq!(Date::from_ymd(y, m, dd), Some(d));
            }
        }
        assert_eq!(Date::from_ymd(1970, 1, 1), Some(Date(0)));
        assert_eq!(Date::parse("2023-09-13").unwrap().to_string(), "2023-09-13");
        assert_eq!(Date::from_ymd(2023, 2, 29), None);
        assert!(Date::from_ymd(2024, 2, 29).is_some());
    }

    #[test]
    fn parse_errors() {
        assert!(Date::parse("13/09/2023").is_err());
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("").is_err());
        assert!(Date::parse("2023-09-13T10:00:00Z").is_ok());
    }

    #[test]
    fn finds_dates_in_heads() {
        let cases = [
            ("Fired Accountant\non Apr 12 2007\nA fired", "2007-04-12"),
            ("Title\nPublished time: March 12, 2013 02:03\n", "2013-03-12"),
            ("Gang member\nWEDNESDAY, APRIL 24, 2013\n", "2013-04-24"),
            ("Chargers\n10:55 P.M. FEB. 2, 2009\n", "2009-02-02"),
            (" date 2023-09-13 President Vladimir Putin", "2023-09-13"),
            ("Le 12 March 2013 a Paris", "2013-03-12"),
            ("Posted Sept. 3, 2019", "2019-09-03"),
        ];
        for (text, want) in cases {
            assert_eq!(find_date(text).map(|d| d.to_string()).as_deref(), Some(want), "{text}");
        }
        assert_eq!(find_date("No date here, may be later. In March things happen."), None);
        assert_eq!(find_date(""), None);
        assert_eq!(find_date("ref 2023-09-134"), None);
        assert_eq!(Date::from_days(i32::MAX).days_since(Date::from_days(i32::MIN)), i32::MAX);
        let _ = Date::from_days(i32::MAX).to_string();
        let _ = Date::from_days(i32::MIN).to_string();
    }
}

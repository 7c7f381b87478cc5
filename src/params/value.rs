//! Parameter values read from text ([`Params::set`](super::Params::set)),
//! written to and read from a saved state, and their range checks.

use crate::error::Error;
use crate::minhash::MinHashKind;

use super::kinds::{CohesionGuard, Linkage};

/// A parameter's value: parsed from text ([`Params::set`]), written to and
/// read from a saved state.
pub(super) trait Value: Sized {
    fn parse(s: &str) -> Option<Self>;
    fn put(&self, out: &mut Vec<u8>);
    fn get(b: &mut &[u8]) -> Option<Self>;
}

fn take<const N: usize>(b: &mut &[u8]) -> Option<[u8; N]> {
    let (head, rest) = b.split_first_chunk::<N>()?;
    *b = rest;
    Some(*head)
}

impl Value for u64 {
    fn parse(s: &str) -> Option<u64> {
        s.parse().ok()
    }
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(b: &mut &[u8]) -> Option<u64> {
        take(b).map(u64::from_le_bytes)
    }
}
impl Value for usize {
    fn parse(s: &str) -> Option<usize> {
        s.parse().ok()
    }
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    fn get(b: &mut &[u8]) -> Option<usize> {
        u64::get(b).and_then(|v| usize::try_from(v).ok())
    }
}
impl Value for u32 {
    fn parse(s: &str) -> Option<u32> {
        s.parse().ok()
    }
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(b: &mut &[u8]) -> Option<u32> {
        take(b).map(u32::from_le_bytes)
    }
}
impl Value for f64 {
    fn parse(s: &str) -> Option<f64> {
        s.parse().ok()
    }
    fn put(&self, out: &mut Vec<u8>) {
        self.to_bits().put(out);
    }
    fn get(b: &mut &[u8]) -> Option<f64> {
        u64::get(b).map(f64::from_bits)
    }
}
impl Value for bool {
    fn parse(s: &str) -> Option<bool> {
        s.parse().ok()
    }
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(b: &mut &[u8]) -> Option<bool> {
        match take::<1>(b)? {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}
impl Value for MinHashKind {
    fn parse(s: &str) -> Option<MinHashKind> {
        match s {
            "one-permutation" | "one_permutation" => Some(MinHashKind::OnePermutation),
            "classic" => Some(MinHashKind::Classic),
            _ => None,
        }
    }
    fn put(&self, out: &mut Vec<u8>) {
        out.push(match self {
            MinHashKind::OnePermutation => 0,
            MinHashKind::Classic => 1,
        });
    }
    fn get(b: &mut &[u8]) -> Option<MinHashKind> {
        match take::<1>(b)? {
            [0] => Some(MinHashKind::OnePermutation),
            [1] => Some(MinHashKind::Classic),
            _ => None,
        }
    }
}
impl Value for Linkage {
    fn parse(s: &str) -> Option<Linkage> {
        match s {
            "average" => Some(Linkage::Average),
            "single" => Some(Linkage::Single),
            _ => None,
        }
    }
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self == Linkage::Single));
    }
    fn get(b: &mut &[u8]) -> Option<Linkage> {
        match take::<1>(b)? {
            [0] => Some(Linkage::Average),
            [1] => Some(Linkage::Single),
            _ => None,
        }
    }
}
impl Value for CohesionGuard {
    fn parse(s: &str) -> Option<CohesionGuard> {
        let (ratio, min_size) = s.split_once(',')?;
        Some(CohesionGuard { ratio: ratio.trim().parse().ok()?, min_size: min_size.trim().parse().ok()? })
    }
    fn put(&self, out: &mut Vec<u8>) {
        self.ratio.put(out);
        self.min_size.put(out);
    }
    fn get(b: &mut &[u8]) -> Option<CohesionGuard> {
        Some(CohesionGuard { ratio: f64::get(b)?, min_size: u32::get(b)? })
    }
}
/// `None` is written as a false flag and the default value, as format 2 did.
impl<T: Value + Default> Value for Option<T> {
    fn parse(s: &str) -> Option<Option<T>> {
        if s == "none" { Some(None) } else { T::parse(s).map(Some) }
    }
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(self.is_some()));
        match self {
            Some(v) => v.put(out),
            None => T::default().put(out),
        }
    }
    fn get(b: &mut &[u8]) -> Option<Option<T>> {
        let some = bool::get(b)?;
        let v = T::get(b)?;
        Some(some.then_some(v))
    }
}

// Range checks, by the name of the setter they report.
pub(super) fn unit(name: &'static str, v: &f64) -> Result<(), Error> {
    check(name, v.is_finite() && *v > 0.0 && *v < 1.0, || format!("must be in (0, 1), got {v}"))
}
pub(super) fn positive(name: &'static str, v: &f64) -> Result<(), Error> {
    check(name, v.is_finite() && *v > 0.0, || format!("must be a positive number, got {v}"))
}
pub(super) fn closed_unit(name: &'static str, v: &f64) -> Result<(), Error> {
    check(name, v.is_finite() && (0.0..=1.0).contains(v), || format!("must be in [0, 1], got {v}"))
}
pub(super) fn half_open_unit(name: &'static str, v: &f64) -> Result<(), Error> {
    check(name, v.is_finite() && (0.0..1.0).contains(v), || format!("must be in [0, 1), got {v}"))
}
pub(super) fn upper_unit(name: &'static str, v: &f64) -> Result<(), Error> {
    check(name, v.is_finite() && *v > 0.0 && *v <= 1.0, || format!("must be in (0, 1], got {v}"))
}
pub(super) fn in_range<T: PartialOrd + std::fmt::Display + Copy>(
    lo: T,
    hi: T,
) -> impl Fn(&'static str, &T) -> Result<(), Error> {
    move |name, v| check(name, (lo..=hi).contains(v), || format!("must be in {lo}..={hi}, got {v}"))
}
pub(super) fn any<T>(_: &'static str, _: &T) -> Result<(), Error> {
    Ok(())
}
fn check(name: &'static str, ok: bool, why: impl FnOnce() -> String) -> Result<(), Error> {
    if ok { Ok(()) } else { Err(Error::param(name, why())) }
}
pub(super) fn opt<T>(
    f: impl Fn(&'static str, &T) -> Result<(), Error>,
) -> impl Fn(&'static str, &Option<T>) -> Result<(), Error> {
    move |name, v| v.as_ref().map_or(Ok(()), |v| f(name, v))
}
pub(super) fn guard(name: &'static str, g: &Option<CohesionGuard>) -> Result<(), Error> {
    let Some(g) = g else { return Ok(()) };
    check(name, g.ratio.is_finite() && (0.0..=4.0).contains(&g.ratio), || {
        format!("ratio must be in [0, 4], got {}", g.ratio)
    })?;
    check(name, g.min_size >= 2, || format!("min_size must be at least 2, got {}", g.min_size))
}

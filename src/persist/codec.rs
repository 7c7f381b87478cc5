//! Little-endian encoding with bounds-checked decoding: the primitives
//! of every saved byte.

/// Little-endian encoder.
#[derive(Debug, Default)]
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn f32(&mut self, v: f32) {
        self.u32(v.to_bits());
    }
    pub(crate) fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    pub(crate) fn opt_i32(&mut self, v: Option<i32>) {
        self.u8(u8::from(v.is_some()));
        self.i32(v.unwrap_or(0));
    }
    pub(crate) fn opt_f32(&mut self, v: Option<f32>) {
        self.u8(u8::from(v.is_some()));
        self.f32(v.unwrap_or(0.0));
    }
    pub(crate) fn u64s(&mut self, v: &[u64]) {
        self.len(v.len());
        v.iter().for_each(|&x| self.u64(x));
    }
}

/// Bounds-checked little-endian decoder; errors are plain messages the
/// caller puts in context.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

pub(crate) type DecodeResult<T> = Result<T, String>;

impl<'a> Reader<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Reader<'a> {
        Reader { b, at: 0 }
    }
    pub(crate) fn remaining(&self) -> usize {
        self.b.len() - self.at
    }
    pub(crate) fn take(&mut self, n: usize) -> DecodeResult<&'a [u8]> {
        if n > self.remaining() {
            return Err(format!("ends early at byte {} (needs {n} more, has {})", self.at, self.remaining()));
        }
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        Ok(s)
    }
    fn array<const N: usize>(&mut self) -> DecodeResult<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub(crate) fn u8(&mut self) -> DecodeResult<u8> {
        Ok(self.array::<1>()?[0])
    }
    pub(crate) fn bool(&mut self) -> DecodeResult<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(format!("byte {} should be 0 or 1, is {v}", self.at - 1)),
        }
    }
    pub(crate) fn u32(&mut self) -> DecodeResult<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(crate) fn u64(&mut self) -> DecodeResult<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    pub(crate) fn i32(&mut self) -> DecodeResult<i32> {
        Ok(i32::from_le_bytes(self.array()?))
    }
    pub(crate) fn f32(&mut self) -> DecodeResult<f32> {
        let v = f32::from_bits(self.u32()?);
        if v.is_finite() { Ok(v) } else { Err(format!("non-finite number before byte {}", self.at)) }
    }
    /// A count of items of at least `item_bytes` each, checked against the bytes left.
    pub(crate) fn len(&mut self, item_bytes: usize) -> DecodeResult<usize> {
        let at = self.at;
        let n = self.u64()?;
        if n.saturating_mul(item_bytes.max(1) as u64) > self.remaining() as u64 {
            return Err(format!("count {n} at byte {at} exceeds the {} bytes left", self.remaining()));
        }
        Ok(n as usize)
    }
    pub(crate) fn bytes(&mut self) -> DecodeResult<&'a [u8]> {
        let n = self.len(1)?;
        self.take(n)
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> DecodeResult<T>) -> DecodeResult<Option<T>> {
        let some = self.bool()?;
        let v = f(self)?;
        Ok(some.then_some(v))
    }
    pub(crate) fn opt_i32(&mut self) -> DecodeResult<Option<i32>> {
        self.opt(Self::i32)
    }
    pub(crate) fn opt_f32(&mut self) -> DecodeResult<Option<f32>> {
        // The placeholder of `None` is 0.0, finite.
        self.opt(Self::f32)
    }
    pub(crate) fn u64s(&mut self) -> DecodeResult<Vec<u64>> {
        let n = self.len(8)?;
        (0..n).map(|_| self.u64()).collect()
    }
    pub(crate) fn u32s(&mut self) -> DecodeResult<Vec<u32>> {
        let n = self.len(4)?;
        (0..n).map(|_| self.u32()).collect()
    }
    pub(crate) fn end(&self) -> DecodeResult<()> {
        if self.remaining() == 0 { Ok(()) } else { Err(format!("{} unexpected bytes at the end", self.remaining())) }
    }
}

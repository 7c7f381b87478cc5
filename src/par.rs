//! The one place that knows whether the `parallel` feature is on: loops
//! over documents run on the rayon pool with it and in order on the
//! calling thread without it. Every helper gives the same result either
//! way (results are collected in input order, sorts are total), so the
//! feature never changes an output.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// `f(i, item, state)` for each item, in order, with a `S::default()`
/// state per job (per thread).
pub(crate) fn map_init<T: Sync, S: Default, R: Send>(
    items: &[T],
    f: impl Fn(usize, &T, &mut S) -> R + Sync + Send,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter().enumerate().map_init(S::default, |s, (i, t)| f(i, t, s)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut s = S::default();
        items.iter().enumerate().map(|(i, t)| f(i, t, &mut s)).collect()
    }
}

/// `f(item)` for each item, in order.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    items.iter().map(f).collect()
}

/// `f(item, state)` for each owned item, in order, with a `S::default()`
/// state per job; each item is dropped once `f` is done with it.
pub(crate) fn map_owned_init<T: Send, S: Default, R: Send>(
    items: Vec<T>,
    f: impl Fn(T, &mut S) -> R + Sync + Send,
) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.into_par_iter().map_init(S::default, |s, t| f(t, s)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut s = S::default();
        items.into_iter().map(|t| f(t, &mut s)).collect()
    }
}

/// `f` on each chunk of `chunk` items, in order.
pub(crate) fn map_chunks<T: Sync, R: Send>(items: &[T], chunk: usize, f: impl Fn(&[T]) -> R + Sync + Send) -> Vec<R> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_chunks(chunk.max(1)).map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    items.chunks(chunk.max(1)).map(f).collect()
}

/// `f` on each chunk of `chunk` items, for its effects.
pub(crate) fn for_each_chunk<T: Sync>(items: &[T], chunk: usize, f: impl Fn(&[T]) + Sync + Send) {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.par_chunks(chunk.max(1)).for_each(f);
    }
    #[cfg(not(feature = "parallel"))]
    items.chunks(chunk.max(1)).for_each(f);
}

/// Fills `out[i] = f(i, &items[i])`.
pub(crate) fn fill<T: Sync, R: Send>(out: &mut [R], items: &[T], f: impl Fn(usize, &T) -> R + Sync + Send) {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        out.par_iter_mut().zip(items.par_iter().enumerate()).for_each(|(o, (i, t))| *o = f(i, t));
    }
    #[cfg(not(feature = "parallel"))]
    out.iter_mut().zip(items.iter().enumerate()).for_each(|(o, (i, t))| *o = f(i, t));
}

/// Sorts entries; the order is total, so the result does not depend on
/// the number of threads.
pub(crate) fn sort<T: Ord + Send>(entries: &mut [T]) {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        entries.par_sort_unstable();
    }
    #[cfg(not(feature = "parallel"))]
    entries.sort_unstable();
}

/// Frees `v` on the rayon pool while the caller goes on (here without
/// `parallel`): clustering runs on one thread, and freeing many documents'
/// features takes a while.
pub(crate) fn drop_aside<T: Send + 'static>(v: Vec<T>) {
    #[cfg(feature = "parallel")]
    rayon::spawn(move || drop(v));
    #[cfg(not(feature = "parallel"))]
    drop(v);
}

/// Threads of the pool (1 without `parallel`).
pub(crate) fn threads() -> usize {
    #[cfg(feature = "parallel")]
    return rayon::current_num_threads();
    #[cfg(not(feature = "parallel"))]
    1
}

/// The calling thread's number in the pool; `None` off the pool (and
/// always without `parallel`).
pub(crate) fn thread_index() -> Option<usize> {
    #[cfg(feature = "parallel")]
    return rayon::current_thread_index();
    #[cfg(not(feature = "parallel"))]
    None
}

/// One value per pool thread plus one for any other thread, each behind a
/// lock that only its own thread takes in practice: per-thread state (a
/// learner whose maps stay in that core's cache) that is collected at the end.
pub(crate) struct PerThread<T> {
    slots: Vec<Mutex<T>>,
}

impl<T: Default> Default for PerThread<T> {
    fn default() -> PerThread<T> {
        PerThread { slots: (0..=threads()).map(|_| Mutex::default()).collect() }
    }
}

impl<T> PerThread<T> {
    /// The calling thread's value and its number.
    pub(crate) fn get(&self) -> (usize, MutexGuard<'_, T>) {
        let last = self.slots.len() - 1;
        let i = thread_index().map_or(last, |i| i.min(last));
        // A panic in a job ends the whole call, so a poisoned value is never read.
        (i, self.slots[i].lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The values, by thread number.
    pub(crate) fn into_inner(self) -> Vec<T> {
        self.slots.into_iter().map(|m| m.into_inner().unwrap_or_else(PoisonError::into_inner)).collect()
    }
}

/// Runs `reader` on a thread of its own, handing what it sends to
/// `consume` on this one (with `parallel`); without it, `reader` runs
/// first, calling `consume` directly. `reader` gets a `send` function that
/// returns false once the consumer stopped (its error is reported): then
/// stop reading. Returns the consumer's error before the reader's (it is
/// about earlier input).
pub(crate) fn pipeline<T: Send, R: Send, E: Send>(
    reader: impl FnOnce(&mut dyn FnMut(T) -> bool) -> Result<R, E> + Send,
    mut consume: impl FnMut(T) -> Result<(), E>,
) -> Result<R, E> {
    #[cfg(feature = "parallel")]
    {
        let (tx, rx) = std::sync::mpsc::sync_channel::<T>(2);
        std::thread::scope(|scope| {
            let reading = scope.spawn(move || reader(&mut |item| tx.send(item).is_ok()));
            let mut result = Ok(());
            for item in &rx {
                result = consume(item);
                if result.is_err() {
                    break;
                }
            }
            drop(rx);
            let read = reading.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            result.and(read)
        })
    }
    #[cfg(not(feature = "parallel"))]
    {
        let mut result = Ok(());
        let read = reader(&mut |item| {
            if result.is_ok() {
                result = consume(item);
            }
            result.is_ok()
        });
        result.and(read)
    }
}

/// Runs `f` with a scope in which [`Scope::spawn`] starts jobs on the pool
/// (without `parallel`, each job runs at once on this thread).
pub(crate) fn scope<'s, R>(f: impl FnOnce(&Scope<'_, 's>) -> R) -> R {
    #[cfg(feature = "parallel")]
    return rayon::in_place_scope(|s| f(&Scope { inner: s }));
    #[cfg(not(feature = "parallel"))]
    f(&Scope { _marker: std::marker::PhantomData })
}

/// See [`scope`].
pub(crate) struct Scope<'a, 's> {
    #[cfg(feature = "parallel")]
    inner: &'a rayon::Scope<'s>,
    #[cfg(not(feature = "parallel"))]
    _marker: std::marker::PhantomData<(&'a (), &'s ())>,
}

impl<'s> Scope<'_, 's> {
    /// Starts `job` (or, without `parallel`, runs it now).
    pub(crate) fn spawn(&self, job: impl FnOnce() + Send + 's) {
        #[cfg(feature = "parallel")]
        self.inner.spawn(move |_| job());
        #[cfg(not(feature = "parallel"))]
        job();
    }
}

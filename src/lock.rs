//! One way to take a mutex: a panic that poisoned it elsewhere does not stop the crate's own
//! bookkeeping (what the mutexes guard stays consistent between statements).

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, also when a panic poisoned it.
pub(crate) fn lock<T: ?Sized>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

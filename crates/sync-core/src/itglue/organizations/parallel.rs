//! Work spread over the machine's cores with scoped threads: matching is pure and every name is
//! independent, so the results only need to come back in order.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Items handed to a thread at a time: small enough to balance uneven work, large enough that
/// taking a batch costs nothing.
const BATCH: usize = 32;

/// How many threads to use for `items` items: one per core, one for fewer than two batches.
fn threads_for(items: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    cores.min(items.div_ceil(BATCH)).max(1)
}

/// `items.iter().map(f)` on every core, each thread with its own state from `init`; the
/// results in the order of `items`.
pub(crate) fn map_with<T, S, R>(
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let threads = threads_for(items.len());
    if threads == 1 {
        let mut state = init();
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut batches: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut state = init();
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(BATCH, Ordering::Relaxed);
                        let Some(batch) = items.get(start..(start + BATCH).min(items.len())) else {
                            break;
                        };
                        if batch.is_empty() {
                            break;
                        }
                        done.push((
                            start,
                            batch.iter().map(|item| f(&mut state, item)).collect(),
                        ));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(done) => done,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    batches.sort_unstable_by_key(|(start, _)| *start);
    batches
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_with_per_thread_state() {
        let items: Vec<usize> = (0..1_000).collect();
        let results = map_with(
            &items,
            || 0usize,
            |calls, item| {
                *calls += 1;
                (item * 2, *calls)
            },
        );
        let doubled: Vec<usize> = results.iter().map(|(d, _)| *d).collect();
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        // Each thread counted its own calls from one.
        assert!(results.iter().all(|(_, calls)| *calls >= 1));
        assert!(map_with(&[] as &[usize], || (), |(), i| *i).is_empty());
    }
}

//! Datto's rate limit as the fake enforces it: a rolling window per account for reads, one for
//! writes and one per write operation; past the limit `429`, and a client that keeps going while
//! throttled gets a temporary `403` block (Datto's documented escalation).

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

/// The limits the fake enforces.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeRateLimit {
    /// Reads (GET) allowed per window (Datto: 600).
    pub requests: u32,
    /// Writes (PUT/POST/DELETE) allowed per window (Datto: 600).
    pub writes: u32,
    /// Writes allowed per window for one operation such as `site-variable-create` (Datto:
    /// mostly 100).
    pub operation_writes: u32,
    /// The rolling window (Datto: 60 s).
    pub window: Duration,
    /// How many requests may be rejected with `429` in a row before the block starts.
    pub block_after_rejections: u32,
    /// How long the `403` block lasts (Datto: "at least 5 minutes").
    pub block_for: Duration,
    /// Delay every answer by one second once 90 % of the read limit is used, as Datto does.
    /// Off by default: it makes tests slow.
    pub slow_down_near_limit: bool,
}

impl Default for FakeRateLimit {
    fn default() -> Self {
        FakeRateLimit {
            requests: 600,
            writes: 600,
            operation_writes: 100,
            window: Duration::from_secs(60),
            block_after_rejections: 20,
            block_for: Duration::from_secs(300),
            slow_down_near_limit: false,
        }
    }
}

/// What the throttle decides for one request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    Allow { slow: bool },
    TooMany { retry_after: Duration },
    Blocked { remaining: Duration },
}

#[derive(Debug, Default)]
pub(crate) struct Throttle {
    reads: VecDeque<Instant>,
    writes: VecDeque<Instant>,
    operations: BTreeMap<String, VecDeque<Instant>>,
    rejected_in_a_row: u32,
    blocked_until: Option<Instant>,
}

fn prune(queue: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while let Some(first) = queue.front() {
        if now.saturating_duration_since(*first) >= window {
            queue.pop_front();
        } else {
            break;
        }
    }
}

fn until_free(queue: &VecDeque<Instant>, now: Instant, window: Duration) -> Duration {
    queue
        .front()
        .map(|first| (*first + window).saturating_duration_since(now))
        .unwrap_or_default()
}

impl Throttle {
    /// Decides one request at `now`; `operation` is the write operation's name for writes.
    pub fn check(
        &mut self,
        limit: &FakeRateLimit,
        now: Instant,
        operation: Option<&str>,
    ) -> Verdict {
        if let Some(until) = self.blocked_until {
            if until > now {
                return Verdict::Blocked {
                    remaining: until - now,
                };
            }
            self.blocked_until = None;
        }
        prune(&mut self.reads, now, limit.window);
        prune(&mut self.writes, now, limit.window);
        for queue in self.operations.values_mut() {
            prune(queue, now, limit.window);
        }
        let full = match operation {
            None => (self.reads.len() >= limit.requests as usize)
                .then(|| until_free(&self.reads, now, limit.window)),
            Some(op) => {
                let op_queue = self.operations.get(op);
                if self.writes.len() >= limit.writes as usize {
                    Some(until_free(&self.writes, now, limit.window))
                } else if op_queue.is_some_and(|q| q.len() >= limit.operation_writes as usize) {
                    op_queue.map(|q| until_free(q, now, limit.window))
                } else {
                    None
                }
            }
        };
        if let Some(wait) = full {
            self.rejected_in_a_row += 1;
            if self.rejected_in_a_row > limit.block_after_rejections {
                self.rejected_in_a_row = 0;
                self.blocked_until = Some(now + limit.block_for);
                return Verdict::Blocked {
                    remaining: limit.block_for,
                };
            }
            return Verdict::TooMany {
                retry_after: wait.max(Duration::from_secs(1)),
            };
        }
        self.rejected_in_a_row = 0;
        match operation {
            None => self.reads.push_back(now),
            Some(op) => {
                self.writes.push_back(now);
                self.operations
                    .entry(op.to_owned())
                    .or_default()
                    .push_back(now);
            }
        }
        let slow =
            limit.slow_down_near_limit && self.reads.len() * 10 >= limit.requests as usize * 9;
        Verdict::Allow { slow }
    }

    /// Counts for `GET /v2/system/request_rate`.
    pub fn status(
        &mut self,
        limit: &FakeRateLimit,
        now: Instant,
    ) -> (usize, usize, Vec<(String, usize)>) {
        prune(&mut self.reads, now, limit.window);
        prune(&mut self.writes, now, limit.window);
        let mut operations = Vec::new();
        for (name, queue) in &mut self.operations {
            prune(queue, now, limit.window);
            operations.push((name.clone(), queue.len()));
        }
        (self.reads.len(), self.writes.len(), operations)
    }

    /// Forgets every counted request and lifts a block.
    pub fn reset(&mut self) {
        *self = Throttle::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit() -> FakeRateLimit {
        FakeRateLimit {
            requests: 3,
            writes: 2,
            operation_writes: 1,
            window: Duration::from_secs(60),
            block_after_rejections: 2,
            block_for: Duration::from_secs(300),
            slow_down_near_limit: false,
        }
    }

    #[test]
    fn reads_past_the_limit_get_429_until_the_window_moves_on() {
        let mut throttle = Throttle::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(
                throttle.check(&limit(), t0, None),
                Verdict::Allow { slow: false }
            );
        }
        assert_eq!(
            throttle.check(&limit(), t0 + Duration::from_secs(10), None),
            Verdict::TooMany {
                retry_after: Duration::from_secs(50)
            }
        );
        assert_eq!(
            throttle.check(&limit(), t0 + Duration::from_secs(60), None),
            Verdict::Allow { slow: false }
        );
    }

    #[test]
    fn hammering_while_throttled_escalates_to_a_block() {
        let mut throttle = Throttle::default();
        let t0 = Instant::now();
        for _ in 0..3 {
            throttle.check(&limit(), t0, None);
        }
        assert!(matches!(
            throttle.check(&limit(), t0, None),
            Verdict::TooMany { .. }
        ));
        assert!(matches!(
            throttle.check(&limit(), t0, None),
            Verdict::TooMany { .. }
        ));
        assert_eq!(
            throttle.check(&limit(), t0, None),
            Verdict::Blocked {
                remaining: Duration::from_secs(300)
            }
        );
        // still blocked after the read window has moved on
        assert!(matches!(
            throttle.check(&limit(), t0 + Duration::from_secs(120), None),
            Verdict::Blocked { .. }
        ));
        assert_eq!(
            throttle.check(&limit(), t0 + Duration::from_secs(301), None),
            Verdict::Allow { slow: false }
        );
    }

    #[test]
    fn each_write_operation_has_its_own_bucket() {
        let mut throttle = Throttle::default();
        let t0 = Instant::now();
        assert!(matches!(
            throttle.check(&limit(), t0, Some("site-create")),
            Verdict::Allow { .. }
        ));
        assert!(matches!(
            throttle.check(&limit(), t0, Some("site-create")),
            Verdict::TooMany { .. }
        ));
        assert!(matches!(
            throttle.check(&limit(), t0, Some("site-update")),
            Verdict::Allow { .. }
        ));
        assert!(matches!(
            throttle.check(&limit(), t0, None),
            Verdict::Allow { .. }
        ));
        let (reads, writes, ops) = throttle.status(&limit(), t0);
        assert_eq!((reads, writes), (1, 2));
        assert_eq!(
            ops,
            vec![("site-create".to_owned(), 1), ("site-update".to_owned(), 1)]
        );
    }
}

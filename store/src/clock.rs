//! Time and ids for what a campaign records, injectable: by default the system clock and random
//! ULIDs; in deterministic tests a stepping clock and seeded ids, so a run can be replayed.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, FixedOffset};
use ulid::Ulid;

/// Where a campaign reads the time of a fact from.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<FixedOffset>;
}

/// The system's clock in the local time zone: the default.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<FixedOffset> {
        chrono::Local::now().fixed_offset()
    }
}

/// A clock for tests: starts at a given instant and moves on one millisecond each time it is read.
#[derive(Debug)]
pub struct SteppingClock {
    start: DateTime<FixedOffset>,
    ticks: AtomicI64,
}

impl SteppingClock {
    pub fn new(start: DateTime<FixedOffset>) -> SteppingClock {
        SteppingClock { start, ticks: AtomicI64::new(0) }
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> DateTime<FixedOffset> {
        self.start + Duration::milliseconds(self.ticks.fetch_add(1, Ordering::Relaxed))
    }
}

/// Monotonic ULIDs: the time part from the action's time, the random part from the system or from
/// a seed. Ids made within one millisecond (or behind the last one) count up from the last.
#[derive(Debug, Clone)]
pub struct Ids {
    last: Option<Ulid>,
    seed: Option<u64>,
}

impl Ids {
    pub fn random() -> Ids {
        Ids { last: None, seed: None }
    }

    /// Ids whose random part comes from `seed` (splitmix64): the same sequence on every run.
    pub fn seeded(seed: u64) -> Ids {
        Ids { last: None, seed: Some(seed) }
    }

    /// The next id, made at `at`.
    pub fn next(&mut self, at: DateTime<FixedOffset>) -> Ulid {
        let ms = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        let fresh = Ulid::from_parts(ms, self.random_bits());
        let id = match self.last {
            Some(last) if last.timestamp_ms() >= ms => last.increment().unwrap_or(fresh),
            _ => fresh,
        };
        self.last = Some(id);
        id
    }

    /// Makes the ids made next sort after `id`, whatever the clock says.
    pub fn after(&mut self, id: Ulid) {
        let floor = Ulid::from_parts(id.timestamp_ms() + 1, self.random_bits());
        if self.last.is_none_or(|last| last < floor) {
            self.last = Some(floor);
        }
    }

    fn random_bits(&mut self) -> u128 {
        let Some(state) = self.seed.as_mut() else {
            return Ulid::generate().random();
        };
        let mut next = || {
            *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = *state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        ((u128::from(next()) << 64) | u128::from(next())) & ((1u128 << 80) - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_ids_repeat_and_count_up_within_a_millisecond() {
        let at = DateTime::parse_from_rfc3339("2026-11-21T19:05:03+06:00").unwrap();
        let run = || {
            let mut ids = Ids::seeded(7);
            [ids.next(at), ids.next(at), ids.next(at + Duration::milliseconds(5))]
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b, "the same seed gives the same ids");
        assert!(a[0] < a[1] && a[1] < a[2]);
        assert_eq!(a[1].random(), a[0].random() + 1);
    }

    #[test]
    fn ids_after_an_id_from_the_future_sort_after_it() {
        let at = DateTime::parse_from_rfc3339("2026-11-21T19:05:03+06:00").unwrap();
        let ahead = Ulid::from_parts(u64::try_from(at.timestamp_millis()).unwrap() + 3_600_000, u128::MAX >> 48);
        let mut ids = Ids::seeded(1);
        ids.after(ahead);
        assert!(ids.next(at) > ahead);
    }
}

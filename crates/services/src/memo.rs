//! Views derived from the database, kept in this process's memory and served
//! again for as long as nothing has been written: the rendered dashboard, a
//! plan tree's JSON, a measure's series.
//!
//! Every entry remembers the [`ChangeMark`] read before its data and the day
//! it was built on. A lookup reads the mark again (one single-row query) and
//! serves the entry only if both still match, so a write committed through any
//! instance sharing the database, or a new day (statuses and "overdue" depend
//! on it), stops every instance from serving what it had kept. Requests that
//! miss the same entry together build it once and share the result.
//!
//! The memory held is bounded: past [`BUDGET`] bytes, the least recently used
//! entries go.

use crate::App;
use lodestar_storage::ChangeMark;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use time::Date;
use tokio::sync::OnceCell;

/// How many bytes of views one process keeps, at most (as their builders count them).
pub const BUDGET: usize = 64 * 1024 * 1024;

/// A value that can be kept: cheap to clone (an `Arc` or bytes inside) and
/// able to say roughly how much memory it holds.
pub trait Memoizable: Clone + Send + Sync + 'static {
    /// The bytes this value holds, for the memory budget.
    fn weight(&self) -> usize;
}

type Slot = Arc<OnceCell<Arc<dyn Any + Send + Sync>>>;

/// The views this process keeps; shared by every clone of the [`App`].
#[derive(Default)]
pub struct Memo {
    entries: Mutex<Entries>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.lock();
        f.debug_struct("Memo")
            .field("entries", &entries.map.len())
            .field("bytes", &entries.bytes)
            .finish()
    }
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
    clock: u64,
}

struct Entry {
    mark: ChangeMark,
    day: Date,
    slot: Slot,
    weight: usize,
    used: u64,
}

impl Memo {
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The slot for `key` as of (`mark`, `day`): the kept one when it matches,
    /// else a new empty one that replaces it. `None` when the kept entry is
    /// newer than `mark` (this request read the mark before a write another
    /// request has already seen): build without keeping.
    fn slot(&self, key: &str, mark: ChangeMark, day: Date) -> Option<Slot> {
        let mut entries = self.lock();
        entries.clock += 1;
        let now = entries.clock;
        if let Some(entry) = entries.map.get_mut(key) {
            if entry.mark == mark && entry.day == day {
                entry.used = now;
                return Some(entry.slot.clone());
            }
            if (entry.day, entry.mark) > (day, mark) {
                return None;
            }
        }
        let slot = Slot::default();
        let old = entries.map.insert(
            key.to_owned(),
            Entry {
                mark,
                day,
                slot: slot.clone(),
                weight: 0,
                used: now,
            },
        );
        if let Some(old) = old {
            entries.bytes -= old.weight;
        }
        Some(slot)
    }

    /// Counts the weight of a slot just filled, if it is still the one kept
    /// under `key`, and evicts the least recently used entries past the budget.
    fn filled(&self, key: &str, slot: &Slot, weight: usize) {
        let mut entries = self.lock();
        let Some(entry) = entries.map.get_mut(key) else {
            return;
        };
        if !Arc::ptr_eq(&entry.slot, slot) || entry.weight == weight {
            return;
        }
        let before = std::mem::replace(&mut entry.weight, weight);
        entries.bytes = entries.bytes - before + weight;
        while entries.bytes > BUDGET {
            let Some(oldest) = entries
                .map
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(gone) = entries.map.remove(&oldest) {
                entries.bytes -= gone.weight;
            }
        }
    }

    /// Drops the entry under `key` if it still holds `slot`, whose build
    /// failed: a request for something that does not exist keeps nothing.
    fn forget(&self, key: &str, slot: &Slot) {
        let mut entries = self.lock();
        let failed = entries
            .map
            .get(key)
            .is_some_and(|e| Arc::ptr_eq(&e.slot, slot) && e.slot.get().is_none());
        if let Some(gone) = failed.then(|| entries.map.remove(key)).flatten() {
            entries.bytes -= gone.weight;
        }
    }

    /// How many views are kept, and their bytes (for tests and diagnostics).
    pub fn size(&self) -> (usize, usize) {
        let entries = self.lock();
        (entries.map.len(), entries.bytes)
    }
}

impl App {
    /// The views this process keeps, shared by every clone of this application.
    pub fn memo(&self) -> &Memo {
        &self.memo
    }

    /// The view `key` as the data stands now: the kept one if nothing was
    /// written since it was built and it is still the same day, else the one
    /// `build` makes (kept for next time). `key` must name everything the
    /// view depends on besides the data and the day: the resource, the query,
    /// the viewer's rights where they change what is shown.
    pub async fn memoized<V, E, F>(&self, key: &str, build: F) -> Result<V, E>
    where
        V: Memoizable,
        E: From<crate::ServiceError>,
        F: Future<Output = Result<V, E>>,
    {
        let mark = self
            .store()
            .change_mark()
            .await
            .map_err(|e| E::from(crate::ServiceError::from(e)))?;
        let day = self.today();
        let key = format!("{}\u{0}{key}", std::any::type_name::<V>());
        let Some(slot) = self.memo.slot(&key, mark, day) else {
            return build.await;
        };
        if let Some(kept) = slot.get() {
            return Ok(downcast(kept));
        }
        let kept = slot
            .get_or_try_init(|| async {
                let value = build.await?;
                Ok::<_, E>(Arc::new(value) as Arc<dyn Any + Send + Sync>)
            })
            .await;
        let kept = match kept {
            Ok(kept) => kept.clone(),
            Err(e) => {
                self.memo.forget(&key, &slot);
                return Err(e);
            }
        };
        let value = downcast::<V>(&kept);
        self.memo.filled(&key, &slot, value.weight() + key.len());
        Ok(value)
    }
}

/// The kept value as the type its key names.
fn downcast<V: Memoizable>(kept: &Arc<dyn Any + Send + Sync>) -> V {
    kept.downcast_ref::<V>()
        .cloned()
        .expect("memo keys carry their value's type")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> Date {
        Date::from_calendar_date(2026, time::Month::December, d).unwrap()
    }

    #[test]
    fn an_entry_is_found_only_under_its_mark_and_day() {
        let memo = Memo::default();
        let first = memo.slot("k", ChangeMark(1), day(1)).unwrap();
        let again = memo.slot("k", ChangeMark(1), day(1)).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        let next_day = memo.slot("k", ChangeMark(1), day(2)).unwrap();
        assert!(!Arc::ptr_eq(&first, &next_day));
        let written = memo.slot("k", ChangeMark(2), day(2)).unwrap();
        assert!(!Arc::ptr_eq(&next_day, &written));
    }

    #[test]
    fn a_request_that_read_an_older_mark_does_not_replace_a_newer_entry() {
        let memo = Memo::default();
        let newer = memo.slot("k", ChangeMark(5), day(1)).unwrap();
        assert!(memo.slot("k", ChangeMark(4), day(1)).is_none());
        assert!(Arc::ptr_eq(
            &newer,
            &memo.slot("k", ChangeMark(5), day(1)).unwrap()
        ));
    }

    #[test]
    fn a_failed_build_keeps_nothing() {
        let memo = Memo::default();
        let slot = memo.slot("missing", ChangeMark(1), day(1)).unwrap();
        memo.forget("missing", &slot);
        assert_eq!(memo.size(), (0, 0));
    }

    #[test]
    fn the_least_recently_used_entries_go_past_the_budget() {
        let memo = Memo::default();
        let third = BUDGET / 3 + 1;
        let a = memo.slot("a", ChangeMark(1), day(1)).unwrap();
        memo.filled("a", &a, third);
        let b = memo.slot("b", ChangeMark(1), day(1)).unwrap();
        memo.filled("b", &b, third);
        memo.slot("a", ChangeMark(1), day(1)).unwrap();
        let c = memo.slot("c", ChangeMark(1), day(1)).unwrap();
        memo.filled("c", &c, third);
        assert_eq!(memo.size(), (2, 2 * third));
        let kept_a = memo.slot("a", ChangeMark(1), day(1)).unwrap();
        assert!(Arc::ptr_eq(&a, &kept_a), "a was used after b, so b went");
    }
}

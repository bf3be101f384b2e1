//! Capacity: staff hours available per role per month, against the demand
//! of committed work (proposals approved or in execution).

use super::month::{StaffRole, YearMonth};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use utoipa::ToSchema;

/// One role in one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CapacityRow {
    /// The role.
    pub role: StaffRole,
    /// The month.
    pub month: YearMonth,
    /// Hours available (0 when none is recorded).
    pub capacity: u64,
    /// Whether a capacity was recorded for this role and month.
    pub recorded: bool,
    /// Hours committed work needs.
    pub demand: u64,
    /// Capacity minus demand (negative when over-allocated).
    pub free: i64,
    /// Whether demand exceeds capacity.
    pub over_allocated: bool,
}

/// The table for months `from..=to`: every role that has capacity or demand
/// in those months, each with a row for every month, ordered by role then month.
pub fn capacity_report(
    capacity: &BTreeMap<(StaffRole, YearMonth), u64>,
    demand: &BTreeMap<(StaffRole, YearMonth), u64>,
    from: YearMonth,
    to: YearMonth,
) -> Vec<CapacityRow> {
    let in_range = |m: &YearMonth| (from..=to).contains(m);
    let roles: BTreeSet<&StaffRole> = capacity
        .keys()
        .chain(demand.keys())
        .filter(|(_, m)| in_range(m))
        .map(|(r, _)| r)
        .collect();
    let months = YearMonth::range(from, to);
    let mut out = Vec::new();
    for role in roles {
        for &month in &months {
            let key = (role.clone(), month);
            let cap = capacity.get(&key).copied();
            let need = demand.get(&key).copied().unwrap_or(0);
            let available = cap.unwrap_or(0);
            let free = i64::try_from(available).unwrap_or(i64::MAX)
                - i64::try_from(need).unwrap_or(i64::MAX);
            out.push(CapacityRow {
                role: role.clone(),
                month,
                capacity: available,
                recorded: cap.is_some(),
                demand: need,
                free,
                over_allocated: need > available,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_allocated_months_are_flagged() {
        let dev = StaffRole::parse("developer").unwrap();
        let m = |s: &str| s.parse::<YearMonth>().unwrap();
        let mut capacity = BTreeMap::new();
        capacity.insert((dev.clone(), m("2026-01")), 160);
        capacity.insert((dev.clone(), m("2026-02")), 160);
        let mut demand = BTreeMap::new();
        demand.insert((dev.clone(), m("2026-01")), 100);
        demand.insert((dev.clone(), m("2026-02")), 200);
        demand.insert((dev.clone(), m("2026-03")), 10);
        let rows = capacity_report(&capacity, &demand, m("2026-01"), m("2026-03"));
        let flags: Vec<(i64, bool, bool)> = rows
            .iter()
            .map(|r| (r.free, r.over_allocated, r.recorded))
            .collect();
        assert_eq!(
            flags,
            [(60, false, true), (-40, true, true), (-10, true, false)]
        );
    }
}

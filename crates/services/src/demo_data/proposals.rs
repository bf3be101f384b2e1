//! The demo portfolio's change proposals (issue 8): for each plan, its
//! organization's share of the scale's proposals, tied to the plan's
//! objectives, moved along the default governance configuration's stages
//! with every transition recorded, scored by the plan's reviewers, with costs
//! per fiscal year and effort per role and month; and the staff capacity and
//! budgets the ranking's cut line is drawn against, sized so that about half
//! of the open demand fits.
//!
//! Each plan's proposals draw from their own stream (`fork(6)` of the plan's),
//! so adding them changed nothing else a seed produces.

use super::generate::{DemoPlan, calendar, share};
use super::rng::Rng;
use super::words;
use super::{Counts, Scale};
use crate::{ServiceError, ServiceResult};
use lodestar_domain::document::FlatNode;
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_storage::{BulkAccount, BulkException, BulkProposal, BulkScore, BulkTransition};
use std::collections::BTreeMap;
use time::{Date, Duration, OffsetDateTime, Time};

/// The stream part of a plan's proposals (parts 1–5 make the plan itself).
const STREAM: u64 = 6;

/// The stage each proposal ends in, by its position in the plan modulo 20:
/// 3 drafts, 4 submitted, 6 reviewed (the ranked and scored ones), 4
/// committed (approved, in execution), 1 closed, 1 rejected, 1 on hold. The
/// first two are ranked, so that even the smallest scale has a ranking.
const STAGES: [&str; 20] = [
    "reviewed",
    "submitted",
    "approved",
    "draft",
    "reviewed",
    "in-execution",
    "submitted",
    "reviewed",
    "rejected",
    "draft",
    "reviewed",
    "submitted",
    "approved",
    "on-hold",
    "reviewed",
    "in-execution",
    "draft",
    "submitted",
    "reviewed",
    "closed",
];

/// The kinds of staff whose hours are planned.
const ROLES: &[&str] = &[
    "developer",
    "analyst",
    "project-manager",
    "dba",
    "network-engineer",
    "security-engineer",
];

const PROBLEMS: &[&str] = &[
    "The current system is past the end of its vendor's support and fails several times a year.",
    "Staff re-key the same data into three systems, which is slow and error-prone.",
    "Residents cannot complete this service online and wait weeks for paper processing.",
    "An audit found access controls that do not meet the security policy.",
    "Licensing costs have tripled since the contract was renewed.",
    "Field staff lose connectivity and cannot file their work until they return to the office.",
];

const BENEFITS: &[&str] = &[
    "Fewer outages and a supported platform for the next ten years.",
    "Hours of manual work saved every week, and fewer errors.",
    "A service residents can finish online in minutes.",
    "Closes the audit finding and lowers the risk of a breach.",
    "Lower running costs from the second year on.",
    "Staff can work from anywhere, with their data current.",
];

const EXCEPTIONS: &[&str] = &[
    "A legal mandate with a fixed deadline; no objective of the plan covers it yet.",
    "An emergency replacement after a hardware failure.",
    "Required by a federal grant's reporting terms.",
];

const COMMENTS: &[&str] = &[
    "Well argued; the cost estimate looks low.",
    "Depends on the identity project finishing first.",
    "Clear benefit to residents.",
    "The vendor has a poor delivery record with us.",
    "Urgent: support ends next year.",
];

/// One plan's portfolio, ready for the bulk writer.
#[derive(Debug, Clone)]
pub(crate) struct DemoPortfolio {
    /// The accounts its rows name: the administrator first, then the plan's
    /// accounts in order.
    pub accounts: Vec<BulkAccount>,
    /// Its proposals.
    pub proposals: Vec<BulkProposal>,
    /// Hours per role and month.
    pub capacity: Vec<(StaffRole, YearMonth, u64)>,
    /// Limits per fiscal year.
    pub budgets: Vec<(i32, BudgetLimit)>,
}

fn invalid(field: &str, message: String) -> ServiceError {
    ServiceError::Invalid(ValidationError::new(field, message))
}

fn key(text: &str) -> ServiceResult<Key> {
    Key::parse(text).map_err(|m| invalid("stage", m))
}

fn long(text: &str) -> ServiceResult<LongText> {
    Ok(LongText::parse_field("demo-data", text)?)
}

fn month_of(date: Date) -> ServiceResult<YearMonth> {
    YearMonth::new(date.year(), u8::from(date.month())).map_err(|m| invalid("month", m))
}

/// The stages a proposal passes through to end in `stage`, after `draft`.
fn path(stage: &str) -> &'static [&'static str] {
    match stage {
        "submitted" => &["submitted"],
        "reviewed" => &["submitted", "reviewed"],
        "approved" => &["submitted", "reviewed", "approved"],
        "in-execution" => &["submitted", "reviewed", "approved", "in-execution"],
        "closed" => &[
            "submitted",
            "reviewed",
            "approved",
            "in-execution",
            "closed",
        ],
        "rejected" => &["submitted", "reviewed", "rejected"],
        "on-hold" => &["submitted", "on-hold"],
        _ => &[],
    }
}

/// Why a move was made, by the stage entered.
fn reason(to: &str) -> &'static str {
    match to {
        "submitted" => "submitted for review",
        "reviewed" => "every criterion scored by the review panel",
        "approved" => "ranked within the cut line; funding identified",
        "in-execution" => "project manager assigned and team available",
        "closed" => "deliverables accepted by the sponsor",
        "rejected" => "ranked well below the cut line; may be resubmitted next fiscal year",
        _ => "waiting for a vendor quote before review continues",
    }
}

/// Generates plan `index`'s portfolio. `flat` is the plan's validated
/// document, `admin` the administrator, who passes the gates only
/// administrators may pass.
pub(crate) fn generate_portfolio(
    scale: Scale,
    seed: u64,
    index: usize,
    as_of: Date,
    plan: &DemoPlan,
    flat: &[FlatNode<'_>],
    admin: &BulkAccount,
) -> ServiceResult<DemoPortfolio> {
    let (users, people) = (&plan.users, &plan.document.people);
    let counts: Counts = scale.counts();
    let count = share(counts.proposals, counts.plans, index);
    let mut rng = Rng::new(seed).fork(index as u64).fork(STREAM);
    let config = GovernanceConfig::default();
    let mut accounts = vec![admin.clone()];
    accounts.extend(users.iter().map(|u| BulkAccount {
        email: u.email.clone(),
        name: u.name.clone(),
    }));
    let with_role = |roles: &[Role]| -> Vec<u32> {
        users
            .iter()
            .enumerate()
            .filter(|(_, u)| roles.contains(&u.role))
            .map(|(i, _)| i as u32 + 1)
            .collect()
    };
    let mut reviewers = with_role(&[Role::Reviewer, Role::PlanEditor, Role::Administrator]);
    let mut editors = with_role(&[Role::PlanEditor, Role::Administrator]);
    for list in [&mut reviewers, &mut editors] {
        if list.is_empty() {
            list.push(0);
        }
    }
    let objectives: Vec<usize> = (0..flat.len()).filter(|i| flat[*i].level == 1).collect();
    if objectives.is_empty() && count > 0 {
        return Err(invalid(
            "proposals",
            "the plan has no objectives to tie proposals to".into(),
        ));
    }
    let start_of_day = OffsetDateTime::new_utc(as_of, Time::MIDNIGHT);
    let mut proposals = Vec::with_capacity(count);
    for k in 0..count {
        let stage = STAGES[k % STAGES.len()];
        let steps = path(stage);
        let person = rng.below(users.len().max(1));
        let sponsor = users.get(person).and_then(|u| u.person);
        let created_by = if users.is_empty() {
            0
        } else {
            person as u32 + 1
        };
        let back = Duration::days((steps.len() * 25 + 5 + rng.below(300)) as i64);
        let created_at = start_of_day - back
            + Duration::hours(8 + rng.below(9) as i64)
            + Duration::minutes(rng.below(60) as i64);

        let exception = (k >= 2 && rng.chance(0.05)).then(|| BulkException {
            reason: LongText::parse(rng.pick::<&str>(EXCEPTIONS)).expect("a valid text"),
            approver: 0,
            at: created_at + Duration::days(1),
        });
        let ties: Vec<u32> = if exception.is_some() {
            Vec::new()
        } else {
            let want = match rng.below(10) {
                0..=5 => 1,
                6..=8 => 2,
                _ => 3,
            }
            .min(objectives.len());
            let mut pool = objectives.clone();
            rng.shuffle(&mut pool);
            pool[..want].iter().map(|i| *i as u32).collect()
        };
        let committed =
            config.kind_of(stage) == Some(StageKind::Committed) || matches!(stage, "closed");
        let node = match ties.first() {
            Some(&objective) if committed => {
                let children: Vec<usize> = (0..flat.len())
                    .filter(|i| flat[*i].parent == Some(objective as usize))
                    .collect();
                (!children.is_empty()).then(|| *rng.pick(&children) as u32)
            }
            _ => None,
        };

        let title = format!(
            "{} {}{}",
            rng.pick(words::INITIATIVE_VERBS),
            rng.pick(words::SYSTEMS),
            if rng.chance(0.3) {
                format!(" {}", rng.pick(words::PHASES))
            } else {
                String::new()
            }
        );
        let risk = match rng.below(10) {
            0..=2 => RiskLevel::Low,
            3..=6 => RiskLevel::Medium,
            7..=8 => RiskLevel::High,
            _ => RiskLevel::Critical,
        };
        let start = (created_at + Duration::days(45 + rng.below(200) as i64)).date();
        let end = start + Duration::days(120 + rng.below(600) as i64);
        let costs = costs(&mut rng, start, end);
        let effort = effort(&mut rng, start, end)?;

        let mut transitions = Vec::with_capacity(steps.len());
        let mut scores = Vec::new();
        let mut at = created_at;
        let mut from = DRAFT_STAGE;
        let quality = if stage == "rejected" {
            rng.range(1.2, 2.4)
        } else {
            rng.range(1.6, 4.8)
        };
        for &to in steps {
            at += Duration::days(2 + rng.below(20) as i64) + Duration::hours(rng.below(8) as i64);
            if from == "submitted" && to == "reviewed" {
                let panel = (2 + rng.below(2)).min(reviewers.len());
                let mut pool = reviewers.clone();
                rng.shuffle(&mut pool);
                score_sheets(&mut rng, &config, &pool[..panel], quality, at, &mut scores);
            }
            let (gate, checklist, actor) = if to == "submitted" && from == DRAFT_STAGE {
                ("Submit".to_owned(), Vec::new(), created_by)
            } else {
                let gate = config
                    .gates
                    .iter()
                    .find(|g| g.to.as_str() == to && g.from.iter().any(|f| f.as_str() == from))
                    .ok_or_else(|| {
                        invalid("stage", format!("no gate leads from {from} to {to}"))
                    })?;
                let actor = if gate.roles.contains(&Role::PlanEditor) {
                    *rng.pick(if to == "reviewed" {
                        &reviewers
                    } else {
                        &editors
                    })
                } else {
                    0
                };
                (gate.name.as_str().to_owned(), gate.checklist.clone(), actor)
            };
            let note = match (to, &exception, node) {
                ("submitted", Some(_), _) if from == DRAFT_STAGE => Some(format!(
                    "submitted without a tie, by exception granted by {}",
                    admin.name
                )),
                ("approved", Some(_), _) => Some(
                    "approved by exception without a tie to an objective: no initiative was created"
                        .to_owned(),
                ),
                ("approved", None, Some(n)) => Some(format!(
                    "carried out by initiative {}",
                    flat[n as usize].entry.code.as_ref().map_or("", Code::as_str)
                )),
                _ => None,
            };
            transitions.push(BulkTransition {
                from: key(from)?,
                to: key(to)?,
                gate,
                reason: long(reason(to))?,
                checklist,
                actor,
                at,
                note,
            });
            from = to;
        }
        if stage == "submitted" && rng.chance(0.5) {
            let first = transitions.first().map_or(created_at, |t| t.at);
            let one = [*rng.pick(&reviewers)];
            score_sheets(
                &mut rng,
                &config,
                &one,
                quality,
                first + Duration::days(1),
                &mut scores,
            );
        }

        proposals.push(BulkProposal {
            title: Name::parse_field("title", &title)?,
            department: sponsor.and_then(|s| people.get(s as usize)?.department.clone()),
            sponsor,
            problem: Some(long(rng.pick::<&str>(PROBLEMS))?),
            benefits: Some(long(rng.pick::<&str>(BENEFITS))?),
            risk,
            target_start: Some(calendar(start)?),
            target_end: Some(calendar(end)?),
            costs,
            effort,
            stage: key(stage)?,
            objectives: ties,
            exception,
            node,
            created_by,
            created_at,
            submitted_at: transitions.first().map(|t| t.at),
            scores,
            transitions,
        });
    }
    let (capacity, budgets) = limits(&config, &proposals, as_of)?;
    Ok(DemoPortfolio {
        accounts,
        proposals,
        capacity,
        budgets,
    })
}

/// Each of `panel` scores every criterion: around the proposal's `quality`,
/// each criterion and reviewer a little apart.
fn score_sheets(
    rng: &mut Rng,
    config: &GovernanceConfig,
    panel: &[u32],
    quality: f64,
    at: OffsetDateTime,
    out: &mut Vec<BulkScore>,
) {
    let leanings: Vec<f64> = config.criteria.iter().map(|_| rng.noise() * 0.5).collect();
    for (r, reviewer) in panel.iter().enumerate() {
        let strictness = rng.noise() * 0.3;
        for (c, criterion) in config.criteria.iter().enumerate() {
            let raw = quality + leanings[c] + strictness + rng.noise() * 0.4;
            let score = raw.round().clamp(1.0, 5.0) as u8;
            out.push(BulkScore {
                reviewer: *reviewer,
                criterion: criterion.key.clone(),
                score,
                comment: rng.chance(0.15).then(|| (*rng.pick(COMMENTS)).to_owned()),
                at: at - Duration::hours(6) + Duration::minutes(r as i64 * 40 + c as i64),
            });
        }
    }
}

/// A capital purchase in the first fiscal year (most proposals), and an
/// operating cost recurring in every fiscal year of the work.
fn costs(rng: &mut Rng, start: Date, end: Date) -> Vec<CostLine> {
    let mut lines = Vec::new();
    if rng.chance(0.7) {
        lines.push(CostLine {
            fiscal_year: start.year(),
            kind: CostKind::Capital,
            recurrence: Recurrence::OneTime,
            amount: Money::dollars(1_000 * (25 + rng.below(1_475) as i64)),
        });
    }
    let yearly = Money::dollars(1_000 * (5 + rng.below(245) as i64));
    for year in start.year()..=end.year() {
        lines.push(CostLine {
            fiscal_year: year,
            kind: CostKind::Operating,
            recurrence: Recurrence::Recurring,
            amount: yearly,
        });
    }
    lines
}

/// One to three roles, each a steady number of hours a month (give or take
/// a fifth) from the start's month, for at most eighteen months.
fn effort(rng: &mut Rng, start: Date, end: Date) -> ServiceResult<Vec<EffortLine>> {
    let mut roles = ROLES.to_vec();
    rng.shuffle(&mut roles);
    let months = YearMonth::range(month_of(start)?, month_of(end)?);
    let mut lines = Vec::new();
    for role in &roles[..1 + rng.below(3)] {
        let role = StaffRole::parse(role).map_err(|m| invalid("role", m))?;
        let base = 20 + rng.below(26) * 4;
        for month in months.iter().take(18) {
            let hours = (base as f64 * rng.range(0.8, 1.2)).round() as u32;
            lines.push(EffortLine {
                role: role.clone(),
                month: *month,
                hours: hours.max(1),
            });
        }
    }
    Ok(lines)
}

/// Capacity and budgets: what committed work needs, plus a bit under half
/// of what the ranked proposals ask, plus a margin (one half-time person per
/// role, $100,000 a year of each budget), rounded; over every month and
/// fiscal year any proposal reaches, and the as-of year's neighbours.
#[allow(clippy::type_complexity)]
fn limits(
    config: &GovernanceConfig,
    proposals: &[BulkProposal],
    as_of: Date,
) -> ServiceResult<(Vec<(StaffRole, YearMonth, u64)>, Vec<(i32, BudgetLimit)>)> {
    let (mut taken, mut asked) = (Demand::default(), Demand::default());
    for p in proposals {
        let demand = Demand::of(&p.costs, &p.effort);
        match config.kind_of(p.stage.as_str()) {
            Some(StageKind::Committed) => taken.add(&demand),
            Some(kind) if kind.is_ranked() => asked.add(&demand),
            _ => {}
        }
    }
    let first = YearMonth::new(as_of.year() - 1, 1).map_err(|m| invalid("month", m))?;
    let last = YearMonth::new(as_of.year() + 2, 12).map_err(|m| invalid("month", m))?;
    let mut months: Vec<YearMonth> = YearMonth::range(first, last);
    let mut years: Vec<i32> = (as_of.year() - 1..=as_of.year() + 3).collect();
    for p in proposals {
        months.extend(p.effort.iter().map(|e| e.month));
        years.extend(p.costs.iter().map(|c| c.fiscal_year));
    }
    months.sort_unstable();
    months.dedup();
    years.sort_unstable();
    years.dedup();
    let mut capacity = Vec::with_capacity(ROLES.len() * months.len());
    for role in ROLES {
        let role = StaffRole::parse(role).map_err(|m| invalid("role", m))?;
        for month in &months {
            let key = (role.clone(), *month);
            let need = taken.hours.get(&key).copied().unwrap_or(0) as f64
                + 0.45 * asked.hours.get(&key).copied().unwrap_or(0) as f64
                + 80.0;
            capacity.push((role.clone(), *month, (need / 8.0).ceil() as u64 * 8));
        }
    }
    let money = |d: &Demand, year: i32, kind: CostKind| -> f64 {
        d.money.get(&(year, kind)).map_or(0.0, |m| m.cents() as f64)
    };
    let budget = |year: i32, kind: CostKind| -> Money {
        let cents = money(&taken, year, kind) + 0.45 * money(&asked, year, kind) + 10_000_000.0;
        Money((cents / 1_000_000.0).ceil() as i64 * 1_000_000)
    };
    let budgets: BTreeMap<i32, BudgetLimit> = years
        .into_iter()
        .map(|y| {
            (
                y,
                BudgetLimit {
                    capital: budget(y, CostKind::Capital),
                    operating: budget(y, CostKind::Operating),
                },
            )
        })
        .collect();
    Ok((capacity, budgets.into_iter().collect()))
}

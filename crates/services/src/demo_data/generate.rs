//! Building one plan of the demo portfolio from the seed: its organization,
//! people, goals, objectives, initiatives and measures, as a plan-as-code
//! document, plus the values, check-ins and accounts that go with it.
//!
//! Every plan draws from its own stream (`Rng::new(seed).fork(index)`), so
//! plan 7 comes out the same whether or not plan 6 was generated.

use super::execution::{self, InitiativeTimeline, MeasurePlan, SeriesKind};
use super::rng::Rng;
use super::words;
use super::{Counts, Scale};
use crate::{ServiceError, ServiceResult};
use lodestar_domain::document::*;
use lodestar_domain::*;
use lodestar_storage::{BulkCheckIn, BulkObservation, BulkUser};
use time::{Date, Month};

/// One generated plan, ready for the bulk writer.
#[derive(Debug, Clone)]
pub struct DemoPlan {
    /// The plan, its organization and people, as plan-as-code.
    pub document: PlanDocument,
    /// Values of its measures (measure positions in document order).
    pub observations: Vec<BulkObservation>,
    /// Check-ins on its initiatives (node positions in document order).
    pub checkins: Vec<BulkCheckIn>,
    /// An account for each of its people.
    pub users: Vec<BulkUser>,
}

/// Part `i` of `total` split as evenly as possible into `n` parts.
pub(crate) fn share(total: usize, n: usize, i: usize) -> usize {
    total / n + usize::from(i < total % n)
}

fn name(text: &str) -> ServiceResult<Name> {
    Ok(Name::parse_field("demo-data", text)?)
}

fn long(text: &str) -> ServiceResult<LongText> {
    Ok(LongText::parse_field("demo-data", text)?)
}

pub(crate) fn day(y: i32, m: u8, d: u8) -> Date {
    let month = Month::try_from(m).expect("month in 1..=12");
    Date::from_calendar_date(y, month, d.min(month.length(y))).expect("a real day")
}

pub(crate) fn calendar(date: Date) -> ServiceResult<CalendarDate> {
    CalendarDate::new(date).map_err(|e| ServiceError::Invalid(ValidationError::new("date", e)))
}

/// The organization of plan `index`.
fn organization(scale: Scale, index: usize) -> &'static str {
    match scale {
        Scale::Federal => words::AGENCIES[index % words::AGENCIES.len()],
        Scale::City => words::TOWNS[0],
        Scale::Small => words::TOWNS[1 + index % 2],
    }
}

/// `Department of Coastal Affairs` → `department-of-coastal-affairs`, at most 32 characters.
fn slug(text: &str) -> String {
    let mut out: String = text
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    out.truncate(32);
    out.trim_end_matches('-').to_owned()
}

/// Plan `index` of `scale` for `seed`, as of `as_of`.
pub fn generate_plan(
    scale: Scale,
    seed: u64,
    index: usize,
    as_of: Date,
) -> ServiceResult<DemoPlan> {
    let counts = scale.counts();
    let root = Rng::new(seed).fork(index as u64);
    let org = organization(scale, index);
    let org_slug = slug(org);
    let period = Period::new(as_of.year() - 2, as_of.year() + 2)?;

    let mut rng = root.fork(1);
    let departments = pick_departments(&mut rng);
    let people = make_people(
        &mut rng,
        share(counts.users, counts.plans, index),
        &org_slug,
        &departments,
    )?;
    let users = make_users(&people, index)?;

    let mut builder = TreeBuilder {
        rng: root.fork(2),
        people: &people,
        departments: &departments,
        period,
        flat_len: 0,
        objectives: Vec::new(),
        initiatives: Vec::new(),
    };
    let mut nodes = builder.goals(&counts, index)?;
    let objectives = std::mem::take(&mut builder.objectives);
    let initiatives = std::mem::take(&mut builder.initiatives);

    let measures = attach_measures(
        &mut root.fork(3),
        &mut nodes,
        &objectives,
        share(counts.measures, counts.plans, index),
        &people,
        period,
    )?;
    let observations = execution::observations(
        &mut root.fork(4),
        &measures,
        share(counts.observations, counts.plans, index),
        as_of,
    )?;
    let checkins = execution::checkins(
        &mut root.fork(5),
        &initiatives,
        share(counts.checkins, counts.plans, index),
        as_of,
    )?;

    let document = PlanDocument {
        format: FORMAT.to_owned(),
        organization: OrganizationRef {
            name: name(org)?,
            parent: None,
        },
        key: Key::parse_field(
            "key",
            &format!("{org_slug}-it-{}-s{seed}", period.start_year),
        )?,
        title: name(&format!(
            "{org} IT Strategic Plan {}–{}",
            period.start_year, period.end_year
        ))?,
        period,
        status: PlanStatus::Active,
        vision: Some(long(
            "Technology that serves the public well, securely and at fair cost.",
        )?),
        mission: Some(long(
            "We run dependable, modern IT so that every program can serve people online, \
             quickly and safely.",
        )?),
        principles: vec![Principle {
            name: name("Residents first")?,
            text: Some(long("Design every service around the people who use it.")?),
        }],
        levels: LevelNames::standard(),
        departments: departments
            .iter()
            .map(|d| Ok(DepartmentEntry { name: name(d)? }))
            .collect::<ServiceResult<_>>()?,
        people,
        tags: words::TAGS
            .iter()
            .map(|(k, n)| {
                Ok(TagEntry {
                    key: Key::parse_field("tags", k)?,
                    name: name(n)?,
                    description: None,
                })
            })
            .collect::<ServiceResult<_>>()?,
        nodes,
    };
    Ok(DemoPlan {
        document,
        observations,
        checkins,
        users,
    })
}

fn pick_departments(rng: &mut Rng) -> Vec<&'static str> {
    let mut all = words::DEPARTMENTS.to_vec();
    rng.shuffle(&mut all);
    all.truncate(6);
    all
}

fn make_people(
    rng: &mut Rng,
    count: usize,
    org_slug: &str,
    departments: &[&str],
) -> ServiceResult<Vec<PersonEntry>> {
    let mut names: Vec<(usize, usize)> = (0..words::GIVEN.len())
        .flat_map(|g| (0..words::FAMILY.len()).map(move |f| (g, f)))
        .collect();
    rng.shuffle(&mut names);
    names
        .iter()
        .take(count)
        .enumerate()
        .map(|(i, (g, f))| {
            let (given, family) = (words::GIVEN[*g], words::FAMILY[*f]);
            let email = format!(
                "{}.{}@{org_slug}.example.gov",
                given.to_ascii_lowercase(),
                family.to_ascii_lowercase()
            );
            Ok(PersonEntry {
                name: name(&format!("{given} {family}"))?,
                email: Some(Email::parse_field("email", &email)?),
                department: Some(name(departments[i % departments.len()])?),
            })
        })
        .collect()
}

/// One account per person: the first person of the first plan administers,
/// the next two of each plan edit plans, the one after reviews, the rest view.
fn make_users(people: &[PersonEntry], plan_index: usize) -> ServiceResult<Vec<BulkUser>> {
    people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let role = match i {
                0 if plan_index == 0 => Role::Administrator,
                0..=2 => Role::PlanEditor,
                3 => Role::Reviewer,
                _ => Role::Viewer,
            };
            let email = p.email.clone().ok_or_else(|| {
                ServiceError::Invalid(ValidationError::new(
                    "people",
                    "every demo person has an address",
                ))
            })?;
            Ok(BulkUser {
                email,
                name: p.name.clone(),
                role,
                person: Some(u32::try_from(i).unwrap_or(u32::MAX)),
            })
        })
        .collect()
}

/// Where an objective sits in the tree, for attaching measures.
struct Slot {
    /// Index of the goal among the plan's goals.
    goal: usize,
    /// Index of the objective within its goal.
    objective: usize,
}

struct TreeBuilder<'a> {
    rng: Rng,
    people: &'a [PersonEntry],
    departments: &'a [&'static str],
    period: Period,
    /// Nodes built so far, in pre-order.
    flat_len: usize,
    objectives: Vec<Slot>,
    initiatives: Vec<InitiativeTimeline>,
}

impl TreeBuilder<'_> {
    fn person(&mut self) -> Name {
        self.rng.pick(self.people).name.clone()
    }

    fn node(&mut self, code: String, title: String) -> ServiceResult<NodeEntry> {
        self.flat_len += 1;
        Ok(NodeEntry {
            code: Some(Code::parse_field("code", &code)?),
            title: name(&title)?,
            level: None,
            description: None,
            owner: Some(self.person()),
            sponsor: None,
            department: None,
            horizon: None,
            start_date: None,
            due_date: None,
            weight: None,
            cadence: None,
            milestones: Vec::new(),
            measures: Vec::new(),
            tags: Vec::new(),
            supports: Vec::new(),
            children: Vec::new(),
        })
    }

    fn goals(&mut self, counts: &Counts, plan: usize) -> ServiceResult<Vec<NodeEntry>> {
        let goals = share(counts.goals, counts.plans, plan);
        let objectives = share(counts.objectives, counts.plans, plan);
        let initiatives = share(counts.initiatives, counts.plans, plan);
        let mut titles = words::GOALS.to_vec();
        self.rng.shuffle(&mut titles);
        let mut made_objectives = 0;
        let mut out = Vec::with_capacity(goals);
        for g in 0..goals {
            let title = titles[g % titles.len()];
            let mut goal = self.node(format!("{}", g + 1), title.to_owned())?;
            goal.sponsor = Some(self.people[0].name.clone());
            goal.description = Some(long(&format!(
                "{title}: what the IT organization commits to over the plan's five years."
            ))?);
            for o in 0..share(objectives, goals, g) {
                let title = format!(
                    "{} {}",
                    self.rng.pick(words::OBJECTIVE_VERBS),
                    self.rng.pick(words::OBJECTIVE_OBJECTS)
                );
                let mut objective = self.node(format!("{}.{}", g + 1, o + 1), title)?;
                let count = share(initiatives, objectives, made_objectives);
                self.objectives.push(Slot {
                    goal: g,
                    objective: o,
                });
                made_objectives += 1;
                for i in 0..count {
                    let initiative = self.initiative(g, o, i)?;
                    objective.children.push(initiative);
                }
                goal.children.push(objective);
            }
            out.push(goal);
        }
        Ok(out)
    }

    fn initiative(&mut self, g: usize, o: usize, i: usize) -> ServiceResult<NodeEntry> {
        let flat_index = self.flat_len;
        let mut title = format!(
            "{} {}",
            self.rng.pick(words::INITIATIVE_VERBS),
            self.rng.pick(words::SYSTEMS)
        );
        if self.rng.chance(0.3) {
            title = format!("{title} {}", self.rng.pick(words::PHASES));
        }
        let mut node = self.node(format!("{}.{}.{}", g + 1, o + 1, i + 1), title)?;
        let owner = self.rng.below(self.people.len());
        node.owner = Some(self.people[owner].name.clone());
        node.sponsor = Some(self.person());
        node.department = Some(name(self.rng.pick::<&str>(self.departments))?);
        // Starts anywhere from the plan's first day to a year before its last;
        // runs six months to two and a half years, within the plan.
        let first = day(self.period.start_year, 1, 1);
        let last = day(self.period.end_year, 12, 31);
        let span = (last - first).whole_days() - 365;
        let start = first + time::Duration::days(self.rng.below(span as usize) as i64);
        let length = 180 + self.rng.below(730) as i64;
        let due = (start + time::Duration::days(length)).min(last);
        node.start_date = Some(calendar(start)?);
        node.due_date = Some(calendar(due)?);
        let split = self.period.start_year + 3;
        node.horizon = Some(if due.year() < split {
            Horizon::ShortTerm
        } else {
            Horizon::LongTerm
        });
        node.cadence = Some(if self.rng.chance(0.7) {
            Cadence::Monthly
        } else {
            Cadence::Quarterly
        });
        if self.rng.chance(0.15) {
            node.weight = Some(Weight::new(2.0).map_err(|e| ValidationError::new("weight", e))?);
        }
        for (key, _) in words::TAGS {
            if self.rng.chance(0.2) {
                node.tags.push(Key::parse_field("tags", key)?);
            }
        }
        self.initiatives.push(InitiativeTimeline {
            node: u32::try_from(flat_index).unwrap_or(u32::MAX),
            author: u32::try_from(owner).unwrap_or(u32::MAX),
            start,
            due,
        });
        Ok(node)
    }
}

/// Gives the plan its measures: one on each objective first, the rest spread
/// evenly over the initiatives. Returns how each measure's values are made,
/// in document order (the order the bulk writer numbers them).
fn attach_measures(
    rng: &mut Rng,
    nodes: &mut [NodeEntry],
    objectives: &[Slot],
    total: usize,
    people: &[PersonEntry],
    period: Period,
) -> ServiceResult<Vec<MeasurePlan>> {
    let on_objectives = total.min(objectives.len());
    let rest = total - on_objectives;
    let mut slots: Vec<(usize, usize, Option<usize>)> = objectives[..on_objectives]
        .iter()
        .map(|s| (s.goal, s.objective, None))
        .collect();
    let mut initiative_slots = Vec::new();
    for (g, goal) in nodes.iter().enumerate() {
        for (o, objective) in goal.children.iter().enumerate() {
            for i in 0..objective.children.len() {
                initiative_slots.push((g, o, Some(i)));
            }
        }
    }
    if rest > 0 && initiative_slots.is_empty() {
        return Err(ValidationError::new(
            "measures",
            "more measures than objectives, and no initiatives",
        )
        .into());
    }
    for k in 0..rest {
        slots.push(initiative_slots[k * initiative_slots.len() / rest]);
    }
    let mut plans = std::collections::HashMap::with_capacity(total);
    for (n, (g, o, i)) in slots.into_iter().enumerate() {
        let shape = *rng.pick(words::MEASURES);
        let kind = match n % 3 {
            0 => SeriesKind::Daily,
            1 => SeriesKind::Monthly,
            _ => SeriesKind::Quarterly,
        };
        let key = format!("{}_{:03}", slug(shape.name).replace('-', "_"), n + 1);
        let owner = rng.pick(people).name.clone();
        let (entry, plan) = execution::measure(rng, &shape, kind, &key, owner, period)?;
        plans.insert(key, plan);
        let objective = &mut nodes[g].children[o];
        match i {
            None => objective.measures.push(entry),
            Some(i) => objective.children[i].measures.push(entry),
        }
    }
    // Document order: nodes in pre-order, each node's measures in order.
    let mut ordered = Vec::with_capacity(total);
    for goal in nodes.iter() {
        for objective in &goal.children {
            let of_initiatives = objective.children.iter().flat_map(|i| i.measures.iter());
            for m in objective.measures.iter().chain(of_initiatives) {
                ordered.push(
                    plans
                        .remove(m.key.as_str())
                        .expect("every measure has a plan"),
                );
            }
        }
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_the_total() {
        for (total, n) in [(15_000, 25), (7, 3), (0, 2), (500, 25)] {
            assert_eq!((0..n).map(|i| share(total, n, i)).sum::<usize>(), total);
        }
    }

    #[test]
    fn slugs_are_valid_key_parts() {
        assert_eq!(
            slug("Department of Coastal Affairs"),
            "department-of-coastal-affairs"
        );
        for a in words::AGENCIES {
            let s = slug(a);
            assert!(s.len() <= 32 && !s.ends_with('-'), "{s}");
        }
    }
}

//! The annual report card of a plan: the statuses, measure values and
//! check-ins of one year, graded by the rule in `lodestar_domain::grade` and
//! laid out as `lodestar_domain::report_card::ReportCard` for the renderers.
//!
//! Everything is read in bulk (the plan's statuses, measures, values and
//! check-ins, a handful of queries plus one per measure's values), then
//! assembled by pure code in `build` and `advice`.

mod advice;
mod build;

use crate::{App, ServiceResult};
use lodestar_domain::grade::GradingRule;
use lodestar_domain::report_card::ReportCard;
use lodestar_domain::*;
use std::collections::{HashMap, HashSet};
use time::{Date, Month};

/// What the report is assembled from: the plan's statuses and everything
/// recorded up to the end of the year reported on.
pub(crate) struct Facts {
    /// The plan's statuses, nodes in tree order.
    pub status: crate::StatusReport,
    /// The organization's name.
    pub organization: String,
    /// The year reported on.
    pub year: i32,
    /// The first day of the year.
    pub start: Date,
    /// The day check-ins are counted up to: the year's last day, or today
    /// while the year is still running. Values count when their period ends
    /// within the year and has begun by this day.
    pub cut: Date,
    /// Each measure's values up to `cut`, oldest first, by measure.
    pub series: HashMap<MeasureId, Vec<(ReportingPeriod, f64)>>,
    /// The plan's check-ins up to `cut`, latest first.
    pub checkins: Vec<CheckIn>,
}

impl App {
    /// The report card of `plan` for the year `year`, graded by `rule`.
    ///
    /// The year must fall within the plan's period (or be the year before it,
    /// when check-ins may already be filed). Statuses are those of today;
    /// measure values and check-ins are those up to the end of the year.
    pub async fn report_card(
        &self,
        plan: PlanId,
        year: i32,
        rule: &GradingRule,
    ) -> ServiceResult<ReportCard> {
        let facts = self.report_facts(plan, year, rule).await?;
        build::assemble(&facts, rule, self.today())
    }

    /// What the report card of `plan` for `year` is drawn from, once the
    /// rule and the year are checked.
    pub(crate) async fn report_facts(
        &self,
        plan: PlanId,
        year: i32,
        rule: &GradingRule,
    ) -> ServiceResult<Facts> {
        rule.check()
            .map_err(|m| ValidationError::new("grading rule", m))?;
        let status = self.plan_status(plan).await?;
        let period = status.plan.period;
        if year < period.start_year - 1 || year > period.end_year {
            return Err(ValidationError::new(
                "period",
                format!(
                    "{year} is outside the plan's period ({}–{}); report on a year from {} to {}",
                    period.start_year,
                    period.end_year,
                    period.start_year - 1,
                    period.end_year
                ),
            )
            .into());
        }
        let first = |y: i32| {
            Date::from_calendar_date(y, Month::January, 1)
                .map_err(|e| ValidationError::new("period", e.to_string()))
        };
        let start = first(year)?;
        let year_end = first(year + 1)?.previous_day().unwrap_or(start);
        let today = self.today();
        let cut = year_end.min(today);
        let organization = self
            .store()
            .get_organization(status.plan.organization_id)
            .await?
            .name
            .to_string();
        let mut series = HashMap::new();
        for m in &status.measures {
            let points: Vec<(ReportingPeriod, f64)> = if m.measure.formula.is_some() {
                self.measure_series(m.measure.id)
                    .await?
                    .into_iter()
                    .filter_map(|p| p.value.map(|v| (p.period, v)))
                    .collect()
            } else {
                let mut points: Vec<(ReportingPeriod, f64)> = self
                    .store()
                    .observations(m.measure.id)
                    .await?
                    .into_iter()
                    .map(|o| (o.period, o.value.get()))
                    .collect();
                points.sort_by_key(|(p, _)| (p.end(), p.start()));
                points
            };
            let points = points
                .into_iter()
                .filter(|(p, _)| p.end() <= year_end && p.start() <= cut)
                .collect();
            series.insert(m.measure.id, points);
        }
        let checkins = self
            .store()
            .recent_checkins(plan, u32::MAX)
            .await?
            .into_iter()
            .filter(|c| c.date.date() <= cut)
            .collect();
        Ok(Facts {
            status,
            organization,
            year,
            start,
            cut,
            series,
            checkins,
        })
    }

    /// The report card drawn from published content only (see
    /// `App::public_report_card`).
    pub(crate) fn assemble_report(
        &self,
        facts: &Facts,
        rule: &GradingRule,
    ) -> ServiceResult<ReportCard> {
        build::assemble(facts, rule, self.today())
    }
}

impl Facts {
    /// Keeps only the nodes in `public`, their measures, values and
    /// check-ins, and drops every check-in's help-needed text, author and
    /// links, so a report
    /// card drawn from what is left holds published content only.
    pub(crate) fn published_only(mut self, public: &HashSet<NodeId>) -> Self {
        self.status.nodes.retain(|n| public.contains(&n.node.id));
        self.status
            .measures
            .retain(|m| public.contains(&m.measure.node_id));
        let kept: HashSet<MeasureId> = self.status.measures.iter().map(|m| m.measure.id).collect();
        self.series.retain(|id, _| kept.contains(id));
        self.checkins.retain(|c| public.contains(&c.node_id));
        for c in &mut self.checkins {
            c.help_needed = None;
            c.author_id = None;
            c.links.clear();
        }
        self
    }
}

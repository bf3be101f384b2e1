//! Scoring: reviewers score each criterion from 1 to 5, and a proposal's
//! score is the weighted mean of the criteria's mean scores.
//!
//! score = Σ_c w_c · mean_c / Σ_c w_c, over the criteria with at least one
//! score, on the 1–5 scale; as a percentage, (score − 1) / 4 · 100. A
//! criterion nobody has scored is left out rather than counted as zero, and
//! the summary says how many of the criteria were scored.

use super::config::GovernanceConfig;
use crate::{Key, Name, UserId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The lowest score.
pub const MIN_SCORE: u8 = 1;
/// The highest (best) score.
pub const MAX_SCORE: u8 = 5;

/// One reviewer's score of one criterion of one proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewerScore {
    /// The reviewer's account, while it exists.
    pub reviewer_id: Option<UserId>,
    /// The reviewer's name when they scored.
    pub reviewer_name: String,
    /// The criterion.
    pub criterion: Key,
    /// 1 to 5, 5 best.
    pub score: u8,
    /// Why, in the reviewer's words.
    pub comment: Option<String>,
    /// When the score was last given (re-scoring replaces it).
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// How one criterion was scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CriterionScore {
    /// The criterion.
    pub key: Key,
    /// Its name.
    pub name: Name,
    /// Its weight.
    pub weight: u32,
    /// The mean of its scores, if it has any.
    pub mean: Option<f64>,
    /// How many reviewers scored it.
    pub count: usize,
}

/// A proposal's weighted score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScoreSummary {
    /// The weighted score on the 1–5 scale; none when nothing is scored.
    pub score: Option<f64>,
    /// The same on a 0–100 scale.
    pub percent: Option<f64>,
    /// How many criteria have at least one score…
    pub criteria_scored: usize,
    /// …of how many.
    pub criteria_total: usize,
    /// Each criterion, in the configuration's order.
    pub criteria: Vec<CriterionScore>,
}

/// The weighted score of `scores` under `config`'s criteria. Scores of
/// criteria the configuration no longer has are left out.
pub fn summarize(config: &GovernanceConfig, scores: &[ReviewerScore]) -> ScoreSummary {
    let criteria: Vec<CriterionScore> = config
        .criteria
        .iter()
        .map(|c| {
            let mine: Vec<u8> = scores
                .iter()
                .filter(|s| s.criterion == c.key)
                .map(|s| s.score)
                .collect();
            let mean = (!mine.is_empty())
                .then(|| mine.iter().map(|s| f64::from(*s)).sum::<f64>() / mine.len() as f64);
            CriterionScore {
                key: c.key.clone(),
                name: c.name.clone(),
                weight: c.weight,
                mean,
                count: mine.len(),
            }
        })
        .collect();
    let (weighted, weights) = criteria
        .iter()
        .filter_map(|c| {
            c.mean
                .map(|m| (f64::from(c.weight) * m, f64::from(c.weight)))
        })
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let score = (weights > 0.0).then(|| weighted / weights);
    ScoreSummary {
        score,
        percent: score.map(|s| (s - 1.0) / 4.0 * 100.0),
        criteria_scored: criteria.iter().filter(|c| c.mean.is_some()).count(),
        criteria_total: criteria.len(),
        criteria,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(reviewer: i64, criterion: &str, value: u8) -> ReviewerScore {
        ReviewerScore {
            reviewer_id: Some(UserId(reviewer)),
            reviewer_name: format!("reviewer {reviewer}"),
            criterion: Key::parse(criterion).unwrap(),
            score: value,
            comment: None,
            updated_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    /// The worked example of docs/portfolio.md.
    #[test]
    fn two_reviewers_weighted_by_criterion() {
        let scores = [
            score(1, "strategic-alignment", 5),
            score(1, "value", 4),
            score(1, "risk", 3),
            score(2, "strategic-alignment", 4),
            score(2, "value", 2),
            score(2, "urgency", 4),
        ];
        let s = summarize(&GovernanceConfig::default(), &scores);
        // Means: alignment (5+4)/2 = 4.5, value (4+2)/2 = 3, risk 3, urgency 4;
        // cost unscored. (30·4.5 + 25·3 + 15·3 + 15·4) / (30+25+15+15) = 315/85.
        assert!((s.score.unwrap() - 315.0 / 85.0).abs() < 1e-9);
        assert!((s.percent.unwrap() - (315.0 / 85.0 - 1.0) * 25.0).abs() < 1e-9);
        assert_eq!((s.criteria_scored, s.criteria_total), (4, 5));
        assert_eq!(s.criteria[0].count, 2);
        assert_eq!(s.criteria[4].mean, None);
    }

    #[test]
    fn nothing_scored_has_no_score() {
        let s = summarize(&GovernanceConfig::default(), &[]);
        assert_eq!((s.score, s.criteria_scored), (None, 0));
    }
}

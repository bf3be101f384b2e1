//! Scoring proposals, and the ranked portfolio with its cut line.

use super::{Portfolio, RankedProposal, SCORING_ROLES, require_role};
use crate::{App, ServiceError, ServiceResult};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use lodestar_storage::{NewScore, Versioned};
use std::collections::HashMap;
use time::OffsetDateTime;

/// One criterion's score on a reviewer's sheet.
#[derive(Debug, Clone, Copy)]
pub struct ScoreEntry<'a> {
    /// The criterion's key.
    pub criterion: &'a str,
    /// 1 to 5, 5 best.
    pub score: u8,
    /// Why, if the reviewer says.
    pub comment: Option<&'a str>,
}

impl App {
    /// Records `caller`'s score (1–5) of one criterion of a proposal: a
    /// sheet of one (see [`App::score_proposal_sheet`]).
    pub async fn score_proposal(
        &self,
        caller: &User,
        id: ProposalId,
        criterion: &str,
        score: u8,
        comment: Option<&str>,
    ) -> ServiceResult<(Vec<ReviewerScore>, ScoreSummary)> {
        let entry = ScoreEntry {
            criterion,
            score,
            comment,
        };
        self.score_proposal_sheet(caller, id, &[entry]).await
    }

    /// Records `caller`'s scores (1–5) of a proposal's criteria, each
    /// replacing their earlier score of it; reviewers, plan editors and
    /// administrators may score. Drafts are not scored. Every entry is
    /// checked first (a fault names `scores[i].criterion`, `.score` or
    /// `.comment`) and then all are stored in one transaction, so a sheet
    /// is stored whole or not at all. Returns every reviewer's scores of the
    /// proposal and the weighted result.
    pub async fn score_proposal_sheet(
        &self,
        caller: &User,
        id: ProposalId,
        sheet: &[ScoreEntry<'_>],
    ) -> ServiceResult<(Vec<ReviewerScore>, ScoreSummary)> {
        require_role(caller, SCORING_ROLES, "score proposals")?;
        let proposal = self.store().get_proposal(id).await?.value;
        if proposal.is_draft() {
            return Err(ServiceError::Conflict {
                field: Some("stage".into()),
                message: "a draft is not scored; it is scored once submitted".into(),
            });
        }
        if sheet.is_empty() {
            return Err(ValidationError::new("scores", "score at least one criterion").into());
        }
        let config = self.config_of(proposal.draft.organization_id).await?;
        let at = OffsetDateTime::now_utc();
        let mut rows = Vec::with_capacity(sheet.len());
        for (i, entry) in sheet.iter().enumerate() {
            let field = |name: &str| format!("scores[{i}].{name}");
            let Some(c) = config.criterion(entry.criterion.trim()) else {
                let keys: Vec<&str> = config.criteria.iter().map(|c| c.key.as_str()).collect();
                return Err(ValidationError::new(
                    field("criterion"),
                    format!(
                        "unknown criterion {:?}; expected one of: {}",
                        entry.criterion,
                        keys.join(", ")
                    ),
                )
                .into());
            };
            if !(scoring::MIN_SCORE..=scoring::MAX_SCORE).contains(&entry.score) {
                return Err(ValidationError::new(
                    field("score"),
                    format!("must be from 1 to 5 (5 best), got {}", entry.score),
                )
                .into());
            }
            let comment = entry.comment.map(str::trim).filter(|c| !c.is_empty());
            if let Some(c) = comment
                && c.chars().count() > LongText::MAX_CHARS
            {
                return Err(ValidationError::new(
                    field("comment"),
                    format!("must be at most {} characters", LongText::MAX_CHARS),
                )
                .into());
            }
            rows.push(NewScore {
                proposal: id,
                reviewer_id: caller.id,
                reviewer_name: caller.name.as_str(),
                criterion: &c.key,
                score: entry.score,
                comment,
                at,
            });
        }
        self.store().put_scores(&rows).await?;
        self.proposal_scores(id).await
    }

    /// Every reviewer's scores of a proposal and its weighted score.
    pub async fn proposal_scores(
        &self,
        id: ProposalId,
    ) -> ServiceResult<(Vec<ReviewerScore>, ScoreSummary)> {
        let proposal = self.store().get_proposal(id).await?.value;
        let config = self.config_of(proposal.draft.organization_id).await?;
        let scores: Vec<ReviewerScore> = self
            .store()
            .proposal_scores(Some(id), None)
            .await?
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        let summary = summarize(&config, &scores);
        Ok((scores, summary))
    }

    /// The ranked portfolio of an organization and its cut line: committed
    /// proposals take capacity and budget first, then proposals in entry and
    /// open stages are ranked (score, then earlier submission, then id;
    /// unscored last) and filled greedily; each says why it is in or out.
    pub async fn portfolio(&self, organization: OrganizationId) -> ServiceResult<Portfolio> {
        let config = self.config_of(organization).await?;
        let proposals = self.store().list_proposals(Some(organization)).await?;
        let mut scores: HashMap<ProposalId, Vec<ReviewerScore>> = HashMap::new();
        for (p, s) in self
            .store()
            .proposal_scores(None, Some(organization))
            .await?
        {
            scores.entry(p).or_default().push(s);
        }
        let limits = Limits {
            budgets: self.store().budgets(organization).await?,
            capacity: self.store().capacity(organization).await?,
        };
        let (mut committed, mut open, mut others) = (Vec::new(), Vec::new(), Vec::new());
        for Versioned { value: p, .. } in proposals {
            match config.kind_of(p.stage.as_str()) {
                Some(StageKind::Committed) => committed.push(p),
                Some(kind) if kind.is_ranked() => open.push(p),
                _ => others.push(p),
            }
        }
        let demands: Vec<Demand> = committed
            .iter()
            .map(|p| Demand::of(&p.draft.costs, &p.draft.effort))
            .collect();
        let mut summaries: HashMap<ProposalId, ScoreSummary> = HashMap::new();
        let candidates = open
            .iter()
            .map(|p| {
                let summary = summarize(&config, scores.get(&p.id).map_or(&[][..], Vec::as_slice));
                let c = Candidate {
                    id: p.id,
                    score: summary.score,
                    submitted_at: p.submitted_at,
                    demand: Demand::of(&p.draft.costs, &p.draft.effort),
                };
                summaries.insert(p.id, summary);
                c
            })
            .collect();
        let mut by_id: HashMap<ProposalId, Proposal> =
            open.into_iter().map(|p| (p.id, p)).collect();
        let ranked = cut_line(&limits, &demands, candidates)
            .into_iter()
            .filter_map(|entry| {
                Some(RankedProposal {
                    proposal: by_id.remove(&entry.proposal_id)?,
                    summary: summaries.remove(&entry.proposal_id)?,
                    entry,
                })
            })
            .collect();
        Ok(Portfolio {
            organization_id: organization,
            committed,
            ranked,
            others,
        })
    }
}

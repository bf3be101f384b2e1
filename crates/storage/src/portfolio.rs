//! An organization's portfolio settings and inputs: its governance
//! configuration (one JSON document), staff capacity per role and month,
//! budget limits per fiscal year, and reviewers' scores of proposals.

use crate::versions::Versioned;
use crate::{Result, StorageError, Store};
use lodestar_domain::portfolio::*;
use lodestar_domain::*;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// A reviewer's score to store.
#[derive(Debug, Clone)]
pub struct NewScore<'a> {
    /// The proposal.
    pub proposal: ProposalId,
    /// The reviewer.
    pub reviewer_id: UserId,
    /// Their name, kept with the score.
    pub reviewer_name: &'a str,
    /// The criterion.
    pub criterion: &'a Key,
    /// 1 to 5.
    pub score: u8,
    /// Why.
    pub comment: Option<&'a str>,
    /// When.
    pub at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    proposal_id: i64,
    reviewer_id: Option<i64>,
    reviewer_name: String,
    criterion: String,
    score: i32,
    comment: Option<String>,
    updated_at: OffsetDateTime,
}

impl ScoreRow {
    fn into_score(self) -> Result<(ProposalId, ReviewerScore)> {
        let bad = |m: String| StorageError::Corrupt(format!("score: {m}"));
        Ok((
            ProposalId(self.proposal_id),
            ReviewerScore {
                reviewer_id: self.reviewer_id.map(UserId),
                reviewer_name: self.reviewer_name,
                criterion: Key::parse(&self.criterion).map_err(bad)?,
                score: u8::try_from(self.score).map_err(|e| bad(e.to_string()))?,
                comment: self.comment,
                updated_at: self.updated_at,
            },
        ))
    }
}

fn corrupt(what: &str, m: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(format!("{what}: {m}"))
}

impl Store {
    /// The governance configuration an organization stored, with its version;
    /// none when it uses the default.
    pub async fn governance_config(
        &self,
        organization: OrganizationId,
    ) -> Result<Option<Versioned<GovernanceConfig>>> {
        let row: Option<(String, i64)> = on_backend!(self, read, pool => {
            sqlx::query_as("SELECT config_json, version FROM governance_settings WHERE organization_id = $1")
                .bind(organization.0).fetch_optional(pool).await?
        });
        row.map(|(json, version)| {
            Ok(Versioned {
                value: serde_json::from_str(&json)
                    .map_err(|e| corrupt("governance configuration", e))?,
                version,
            })
        })
        .transpose()
    }

    /// Stores an organization's configuration. `expected` names the version
    /// it replaces; `None` only when none is stored yet (the default was in use).
    pub async fn put_governance_config(
        &self,
        organization: OrganizationId,
        expected: Option<i64>,
        config: &GovernanceConfig,
    ) -> Result<Versioned<GovernanceConfig>> {
        let json =
            serde_json::to_string(config).map_err(|e| corrupt("governance configuration", e))?;
        let now = OffsetDateTime::now_utc();
        let version: i64 = in_tx!(self, conn => {
            let current: Option<i64> = sqlx::query_scalar("SELECT version FROM governance_settings WHERE organization_id = $1")
                .bind(organization.0).fetch_optional(&mut *conn).await?;
            match (current, expected) {
                (None, None) => {
                    sqlx::query("INSERT INTO governance_settings (organization_id, config_json, updated_at) VALUES ($1, $2, $3)")
                        .bind(organization.0).bind(&json).bind(now)
                        .execute(&mut *conn).await
                        .map_err(crate::error::on_conflict("organization_id", "the configuration was stored meanwhile; reload it"))?;
                    1
                }
                (Some(current), None) => {
                    return Err(StorageError::VersionRequired {
                        entity: "governance configuration of organization",
                        id: organization.to_string(),
                        current,
                    });
                }
                (current, Some(expected)) if current != Some(expected) => {
                    return Err(StorageError::Stale {
                        entity: "governance configuration of organization",
                        id: organization.to_string(),
                        expected,
                        current,
                    });
                }
                (_, Some(expected)) => {
                    sqlx::query("UPDATE governance_settings SET config_json = $1, updated_at = $2, version = version + 1 \
                                 WHERE organization_id = $3 AND version = $4")
                        .bind(&json).bind(now).bind(organization.0).bind(expected)
                        .execute(&mut *conn).await?;
                    expected + 1
                }
            }
        });
        Ok(Versioned {
            value: config.clone(),
            version,
        })
    }

    /// Sets the hours available for `role` in `month` (replacing any recorded).
    pub async fn set_capacity(
        &self,
        organization: OrganizationId,
        role: &StaffRole,
        month: YearMonth,
        hours: u64,
    ) -> Result<()> {
        let hours = i64::try_from(hours)
            .map_err(|_| StorageError::Invalid(ValidationError::new("hours", "is too large")))?;
        in_tx!(self, conn => {
            let done = sqlx::query("UPDATE staff_capacity SET hours = $1, version = version + 1 \
                                    WHERE organization_id = $2 AND role = $3 AND month = $4")
                .bind(hours).bind(organization.0).bind(role.as_str()).bind(month.to_string())
                .execute(&mut *conn).await?;
            if done.rows_affected() == 0 {
                sqlx::query("INSERT INTO staff_capacity (organization_id, role, month, hours) VALUES ($1, $2, $3, $4)")
                    .bind(organization.0).bind(role.as_str()).bind(month.to_string()).bind(hours)
                    .execute(&mut *conn).await
                    .map_err(crate::error::on_conflict("month", "the capacity was recorded meanwhile; try again"))?;
            }
        });
        Ok(())
    }

    /// Every capacity recorded for an organization.
    pub async fn capacity(
        &self,
        organization: OrganizationId,
    ) -> Result<BTreeMap<(StaffRole, YearMonth), u64>> {
        let rows: Vec<(String, String, i64)> = on_backend!(self, read, pool => {
            sqlx::query_as("SELECT role, month, hours FROM staff_capacity WHERE organization_id = $1")
                .bind(organization.0).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(role, month, hours)| {
                Ok((
                    (
                        StaffRole::parse(&role).map_err(|m| corrupt("capacity role", m))?,
                        month.parse().map_err(|m| corrupt("capacity month", m))?,
                    ),
                    u64::try_from(hours).map_err(|e| corrupt("capacity hours", e))?,
                ))
            })
            .collect()
    }

    /// Sets an organization's budget for a fiscal year (replacing any recorded).
    pub async fn set_budget(
        &self,
        organization: OrganizationId,
        fiscal_year: i32,
        limit: BudgetLimit,
    ) -> Result<()> {
        in_tx!(self, conn => {
            let done = sqlx::query("UPDATE budgets SET capital = $1, operating = $2, version = version + 1 \
                                    WHERE organization_id = $3 AND fiscal_year = $4")
                .bind(limit.capital.cents()).bind(limit.operating.cents()).bind(organization.0).bind(fiscal_year)
                .execute(&mut *conn).await?;
            if done.rows_affected() == 0 {
                sqlx::query("INSERT INTO budgets (organization_id, fiscal_year, capital, operating) VALUES ($1, $2, $3, $4)")
                    .bind(organization.0).bind(fiscal_year).bind(limit.capital.cents()).bind(limit.operating.cents())
                    .execute(&mut *conn).await
                    .map_err(crate::error::on_conflict("fiscal_year", "the budget was recorded meanwhile; try again"))?;
            }
        });
        Ok(())
    }

    /// Every budget recorded for an organization, by fiscal year.
    pub async fn budgets(
        &self,
        organization: OrganizationId,
    ) -> Result<BTreeMap<i32, BudgetLimit>> {
        let rows: Vec<(i32, i64, i64)> = on_backend!(self, read, pool => {
            sqlx::query_as("SELECT fiscal_year, capital, operating FROM budgets WHERE organization_id = $1")
                .bind(organization.0).fetch_all(pool).await?
        });
        Ok(rows
            .into_iter()
            .map(|(y, c, o)| {
                (
                    y,
                    BudgetLimit {
                        capital: Money(c),
                        operating: Money(o),
                    },
                )
            })
            .collect())
    }

    /// Stores a reviewer's scores, each replacing their earlier score of the
    /// same criterion, all in one transaction: all of them or none.
    pub async fn put_scores(&self, scores: &[NewScore<'_>]) -> Result<()> {
        in_tx!(self, conn => {
            for s in scores {
                let done = sqlx::query("UPDATE proposal_scores SET score = $1, comment = $2, updated_at = $3, reviewer_name = $4 \
                                        WHERE proposal_id = $5 AND reviewer_id = $6 AND criterion = $7")
                    .bind(i32::from(s.score)).bind(s.comment).bind(s.at).bind(s.reviewer_name)
                    .bind(s.proposal.0).bind(s.reviewer_id.0).bind(s.criterion.as_str())
                    .execute(&mut *conn).await?;
                if done.rows_affected() == 0 {
                    sqlx::query("INSERT INTO proposal_scores (proposal_id, reviewer_id, reviewer_name, criterion, score, comment, created_at, updated_at) \
                                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                        .bind(s.proposal.0).bind(s.reviewer_id.0).bind(s.reviewer_name).bind(s.criterion.as_str())
                        .bind(i32::from(s.score)).bind(s.comment).bind(s.at)
                        .execute(&mut *conn).await
                        .map_err(crate::error::on_conflict("criterion", "the score was given meanwhile; try again"))?;
                }
            }
        });
        Ok(())
    }

    /// Scores of one proposal, or of every proposal of an organization, by
    /// proposal, criterion and reviewer.
    pub async fn proposal_scores(
        &self,
        proposal: Option<ProposalId>,
        organization: Option<OrganizationId>,
    ) -> Result<Vec<(ProposalId, ReviewerScore)>> {
        let rows: Vec<ScoreRow> = on_backend!(self, read, pool => {
            sqlx::query_as(
                "SELECT s.proposal_id, s.reviewer_id, s.reviewer_name, s.criterion, s.score, s.comment, s.updated_at \
                 FROM proposal_scores s JOIN proposals p ON p.id = s.proposal_id \
                 WHERE ($1 IS NULL OR s.proposal_id = $1) AND ($2 IS NULL OR p.organization_id = $2) \
                 ORDER BY s.proposal_id, s.criterion, s.reviewer_name, s.id",
            )
            .bind(proposal.map(|p| p.0))
            .bind(organization.map(|o| o.0))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(ScoreRow::into_score).collect()
    }
}

//! `/public/plans/{key}/report?period=2026`: a published plan's report card
//! for anyone, with its downloads `report.{md,csv,pdf}`. Drawn by
//! `App::public_report_card` from published nodes only, in the same layout
//! as the application's report card (`crate::pages::report_card`).

use super::{Portal, PublicError};
use crate::pages::report_card::{Body, PeriodQuery, download, typeset};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{Html, IntoResponse, Response};
use lodestar_domain::grade::GradingRule;
use lodestar_services::publication::PublicReportCard;

/// The public report card page.
#[derive(Template)]
#[template(path = "public/report.html")]
struct ReportPage {
    key: String,
    report_base: String,
    years: Vec<i32>,
    downloads: &'static [(&'static str, &'static str)],
    b: Body,
}

/// The downloads offered to the public: extension and label.
const DOWNLOADS: &[(&str, &str)] = &[("md", "Markdown"), ("csv", "CSV"), ("pdf", "PDF")];

impl Portal {
    /// The published plan's report card for the year asked for (this year by default).
    async fn report_card(
        &self,
        key: &str,
        query: &PeriodQuery,
    ) -> Result<PublicReportCard, PublicError> {
        let year = query.year(&self.0).map_err(PublicError::BadRequest)?;
        self.0
            .public_report_card(key, year, &GradingRule::default())
            .await
            .map_err(|e| match e {
                lodestar_services::ServiceError::Invalid(v) => {
                    PublicError::BadRequest(v.to_string())
                }
                other => PublicError::from(other),
            })
    }
}

/// `/public/plans/{key}/report`.
pub(super) async fn page(
    portal: Portal,
    Path(key): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Html<String>, PublicError> {
    let report = portal.report_card(&key, &query).await?;
    let period = report.plan_period;
    let key = report.card.plan_key.clone();
    let page = ReportPage {
        report_base: format!("/public/plans/{key}/report"),
        key,
        downloads: DOWNLOADS,
        years: (period.start_year - 1..=period.end_year).collect(),
        b: Body::new(report.card),
    };
    Ok(Html(page.render()?))
}

/// `/public/plans/{key}/report.md`.
pub(super) async fn markdown(
    portal: Portal,
    Path(key): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PublicError> {
    let card = portal.report_card(&key, &query).await?.card;
    let text = lodestar_report::markdown::render(&card);
    Ok(download(&card, "md", "text/markdown; charset=utf-8", text))
}

/// `/public/plans/{key}/report.csv`.
pub(super) async fn csv(
    portal: Portal,
    Path(key): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PublicError> {
    let card = portal.report_card(&key, &query).await?.card;
    let text = lodestar_report::csv::render(&card);
    Ok(download(&card, "csv", "text/csv; charset=utf-8", text))
}

/// `/public/plans/{key}/report.pdf`.
pub(super) async fn pdf(
    portal: Portal,
    Path(key): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, PublicError> {
    let card = portal.report_card(&key, &query).await?.card;
    let bytes = typeset(card.clone()).await.map_err(|m| {
        tracing::error!(error = %m, "public report card PDF failed");
        PublicError::Internal
    })?;
    Ok(download(&card, "pdf", "application/pdf", bytes).into_response())
}

//! The sample plan's report card as a PDF, on every backend: a valid PDF
//! whose text (as `pdftotext` reads it) holds every goal and objective of the
//! sample with the grade the card gives it.
//!
//! The text checks need Debian's poppler-utils (.ci/run installs it); without
//! it they print a notice and check only that a PDF came out.

use lodestar_domain::grade::GradingRule;
use lodestar_report::testing::pdf_text;
use lodestar_services::App;
use lodestar_storage::testing;
use time::macros::date;

#[tokio::test]
async fn the_sample_report_card_pdf_holds_every_goal_and_grade() {
    for t in testing::all().await {
        let app = App::new(t.store.clone()).on_day(date!(2026 - 11 - 16));
        let plan = app
            .load_sample_if_empty()
            .await
            .unwrap_or_else(|e| panic!("{}: the sample loads: {e}", t.backend))
            .expect("an empty store gets the sample");
        let card = app
            .report_card(plan.id, 2026, &GradingRule::default())
            .await
            .expect("the sample's 2026 report card");
        let pdf = lodestar_report::pdf::render(&card)
            .unwrap_or_else(|e| panic!("{}: the card typesets: {e}", t.backend));
        assert!(pdf.starts_with(b"%PDF-"), "{}: not a PDF", t.backend);
        let Some(text) = pdf_text(&pdf) else { continue };
        assert!(text.contains(&card.organization), "{}", t.backend);
        assert!(text.contains("Annual report card 2026"), "{}", t.backend);
        let overall = format!("Overall grade {}", card.overall.grade.label());
        assert!(
            text.contains(&overall),
            "{}: {overall:?} missing",
            t.backend
        );
        for goal in &card.goals {
            // Each section reads "<code> <title> Grade <label>".
            let section = format!(
                "{} {} Grade {}",
                goal.code,
                goal.title,
                goal.grade.grade.label()
            );
            assert!(
                text.contains(&section),
                "{}: {section:?} missing:\n{text}",
                t.backend
            );
            for objective in &goal.objectives {
                let section = format!(
                    "{} {} Grade {}",
                    objective.code,
                    objective.title,
                    objective.grade.grade.label()
                );
                assert!(
                    text.contains(&section),
                    "{}: {section:?} missing:\n{text}",
                    t.backend
                );
            }
        }
    }
}

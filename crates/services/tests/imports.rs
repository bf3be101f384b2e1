//! Importing documents through the services layer, on every backend: reading
//! writes nothing, a kept draft is confirmed once, and a stored draft keeps
//! its warnings and records the values its document reports.

use lodestar_domain::document::PlanDocument;
use lodestar_domain::{Key, MeasureKey, Name, PlanStatus, ReportingPeriod, Value};
use lodestar_services::imports::{self, DraftObservation, ImportError};
use lodestar_services::plan_code::{self, DocFormat};
use lodestar_services::sample::{SAMPLE_NAME, SAMPLE_PLAN};
use lodestar_services::{App, Draft, Overrides, ServiceError, SourceKind, Warning};
use lodestar_storage::testing;
use time::macros::date;

const TODAY: time::Date = date!(2027 - 01 - 15);

/// A small plan in plain text, as a PDF's text might read. Needs the
/// importer's text reader.
const TEXT_PLAN: &[u8] =
    b"GOAL 1: Residents first\nObjective 1.1: Open data\nGOAL 2: Reliable systems\n";

/// A plan with one measure, as plan-as-code.
const MEASURED: &str = r#"
organization: { name: City of Harbor Falls }
key: hf-report
title: Harbor Falls IT Performance Report
period: { start_year: 2026, end_year: 2028 }
nodes:
  - code: "1"
    title: Residents first
    measures:
      - key: datasets
        name: Datasets published
        direction: higher-is-better
        frequency: annually
"#;

fn app(t: &testing::TestStore) -> App {
    App::new(t.store.clone()).on_day(TODAY)
}

/// What a StratML report would give: a plan with a measure, a value for it
/// (twice for one period: the later one counts), and warnings.
fn measured_draft() -> Draft {
    let document: PlanDocument = plan_code::parse("r.yaml", MEASURED, DocFormat::Yaml).unwrap();
    let value = |v: f64, note: &str| DraftObservation {
        measure: MeasureKey::parse("datasets").unwrap(),
        period: "2026".parse::<ReportingPeriod>().unwrap(),
        value: Value::new(v).unwrap(),
        note: Some(note.into()),
    };
    Draft {
        source: SourceKind::Stratml,
        document,
        observations: vec![value(30.0, "first count"), value(32.0, "recount")],
        warnings: vec![
            Warning::general("the document names no period; 2026–2030 is assumed"),
            Warning::at(12, "a performance indicator has no unit"),
        ],
        lines: Vec::new(),
    }
}

#[tokio::test]
async fn a_stored_draft_keeps_its_warnings_and_records_its_values() {
    for t in testing::all().await {
        let app = app(&t);
        let draft = measured_draft();
        let plan = app.store_draft("report.xml", &draft).await.unwrap();
        assert_eq!(plan.status, PlanStatus::Draft, "{}", t.backend);
        assert_eq!(app.import_warnings(plan.id).await.unwrap(), draft.warnings);

        let measure = &app.store().plan_measures(plan.id).await.unwrap()[0];
        let values = app.store().observations(measure.id).await.unwrap();
        assert_eq!(values.len(), 1, "{}", t.backend);
        assert_eq!(values[0].value.get(), 32.0);
        assert_eq!(values[0].note.as_ref().unwrap().as_str(), "recount");
        assert_eq!(values[0].source.as_ref().unwrap().as_str(), "report.xml");
    }
}

#[tokio::test]
async fn a_plan_made_otherwise_has_no_import_warnings() {
    for t in testing::all().await {
        let app = app(&t);
        let plan = app
            .import_plan_code(SAMPLE_NAME, SAMPLE_PLAN)
            .await
            .unwrap();
        assert!(app.import_warnings(plan.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_draft_whose_key_is_taken_writes_nothing() {
    for t in testing::all().await {
        let app = app(&t);
        app.store_draft("report.xml", &measured_draft())
            .await
            .unwrap();
        let err = app
            .store_draft("again.xml", &measured_draft())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, ServiceError::Conflict { message, .. } if message.contains("hf-report")),
            "{err:?}"
        );
        assert_eq!(app.store().list_plans().await.unwrap().len(), 1);
    }
}

#[test]
fn plan_as_code_is_read_and_checked_without_warnings_and_overrides_apply() {
    let overrides = Overrides {
        organization: Some(Name::parse("Harbor Falls IT").unwrap()),
        key: Some(Key::parse("hf-copy").unwrap()),
    };
    let draft = imports::read(SAMPLE_NAME, SAMPLE_PLAN.as_bytes(), &overrides, TODAY).unwrap();
    assert_eq!(draft.source, SourceKind::PlanCodeYaml);
    assert!(draft.warnings.is_empty() && draft.observations.is_empty());
    assert_eq!(draft.document.key.as_str(), "hf-copy");
    assert_eq!(draft.document.organization.name.as_str(), "Harbor Falls IT");
    assert_eq!(draft.document.status, PlanStatus::Active, "kept as written");

    let invalid = SAMPLE_PLAN.replacen("code: \"1.2\"", "code: \"1.1\"", 1);
    let err = imports::read("p.yaml", invalid.as_bytes(), &Overrides::default(), TODAY);
    assert!(
        matches!(err, Err(ServiceError::InvalidDocument { .. })),
        "{err:?}"
    );
}

#[test]
fn content_tells_the_kind_and_the_name_decides_between_json_yaml_and_text() {
    let kind = |name: &str, bytes: &[u8]| imports::detect(name, bytes).unwrap();
    assert_eq!(kind("plan.json", b"%PDF-1.7\n"), SourceKind::Pdf);
    assert_eq!(
        kind("upload", b"{\"key\": \"x\"}"),
        SourceKind::PlanCodeJson
    );
    assert_eq!(
        kind("plan.txt", b"GOAL 1: Residents first"),
        SourceKind::Text
    );
    assert_eq!(
        kind("plan.json", b"GOAL 1: Residents first"),
        SourceKind::PlanCodeJson
    );
    assert_eq!(
        kind("plan.json", b"format: lodestar-plan/1\n"),
        SourceKind::PlanCodeJson
    );
    assert_eq!(
        kind("plan.yml", b"{organization: {name: X}}"),
        SourceKind::PlanCodeYaml
    );
}

#[test]
fn a_broken_json_plan_is_reported_as_json_whatever_its_content_looks_like() {
    let err = imports::read(
        "plan.json",
        b"[\"not a plan\"]",
        &Overrides::default(),
        TODAY,
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("plan.json:1:"),
        "a syntax error with its place: {err}"
    );
}

#[test]
fn plan_as_code_that_is_not_utf8_is_a_syntax_error_at_the_bad_byte() {
    let err = imports::read(
        "p.yaml",
        b"key: x\ntitle: Caf\xe9\n",
        &Overrides::default(),
        TODAY,
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("p.yaml:2:11: not UTF-8"),
        "{err}"
    );
}

#[test]
fn documents_that_cannot_be_read_say_why() {
    let reason =
        |name: &str, bytes: &[u8]| match imports::read(name, bytes, &Overrides::default(), TODAY) {
            Err(ServiceError::Unreadable {
                source_name,
                reason,
            }) => {
                assert_eq!(source_name, name);
                reason
            }
            other => panic!("{other:?}"),
        };
    assert_eq!(reason("empty.txt", b" \n"), ImportError::Empty);
    assert!(matches!(
        reason("blob.bin", b"\x00\x01\x02\x03"),
        ImportError::Unrecognized(_)
    ));
    let huge = vec![b'a'; imports::MAX_INPUT_BYTES + 1];
    assert!(matches!(
        reason("huge.txt", &huge),
        ImportError::TooLarge { .. }
    ));
}

/// Needs the importer's text reader.
#[tokio::test]
async fn a_kept_draft_is_confirmed_once_and_an_edit_replaces_it() {
    for t in testing::all().await {
        let app = app(&t);
        let kept = app
            .start_import("plan.txt", TEXT_PLAN.to_vec(), &Overrides::default())
            .await
            .unwrap();
        assert_eq!(kept.source, SourceKind::Text);
        assert!(
            app.store().list_plans().await.unwrap().is_empty(),
            "nothing is stored before confirmation"
        );

        let mut edited = kept.document.clone();
        edited.title = Name::parse("Harbor Falls Digital Plan").unwrap();
        edited.status = PlanStatus::Active;
        let plan = app.confirm_import(kept.id, Some(edited)).await.unwrap();
        assert_eq!(plan.title.as_str(), "Harbor Falls Digital Plan");
        assert_eq!(
            plan.status,
            PlanStatus::Draft,
            "an imported plan starts as a draft"
        );
        assert_eq!(app.import_warnings(plan.id).await.unwrap(), kept.warnings);
        assert_eq!(
            app.get_import(kept.id).await.unwrap().plan_id,
            Some(plan.id)
        );

        let again = app.confirm_import(kept.id, None).await.unwrap_err();
        match again {
            ServiceError::Conflict { message, .. } => {
                assert!(message.contains(plan.key.as_str()), "{message}")
            }
            other => panic!("{}: {other:?}", t.backend),
        }
    }
}

/// Needs the importer's text reader.
#[tokio::test]
async fn a_confirmation_that_fails_leaves_the_import_to_confirm_again() {
    for t in testing::all().await {
        let app = app(&t);
        let first = app
            .start_import("plan.txt", TEXT_PLAN.to_vec(), &Overrides::default())
            .await
            .unwrap();
        let second = app
            .start_import("plan.txt", TEXT_PLAN.to_vec(), &Overrides::default())
            .await
            .unwrap();
        app.confirm_import(first.id, None).await.unwrap();
        let err = app.confirm_import(second.id, None).await.unwrap_err();
        assert!(
            matches!(&err, ServiceError::Conflict { field: Some(f), .. } if f == "key"),
            "{}: {err:?}",
            t.backend
        );
        let mut renamed = second.document.clone();
        renamed.key = Key::parse("hf-second").unwrap();
        let plan = app.confirm_import(second.id, Some(renamed)).await.unwrap();
        assert_eq!(plan.key.as_str(), "hf-second");
    }
}

/// Needs the importer's text reader.
#[tokio::test]
async fn a_revised_draft_is_kept_until_confirmed_and_then_cannot_change() {
    for t in testing::all().await {
        let app = app(&t);
        let kept = app
            .start_import("plan.txt", TEXT_PLAN.to_vec(), &Overrides::default())
            .await
            .unwrap();
        let mut edited = kept.document.clone();
        edited.title = Name::parse("Harbor Falls Digital Plan").unwrap();
        app.revise_import(kept.id, edited.clone()).await.unwrap();
        let stored = app.get_import(kept.id).await.unwrap();
        assert_eq!(stored.document, edited, "{}", t.backend);
        assert_eq!(stored.warnings, kept.warnings, "the warnings stay");

        let mut broken = edited.clone();
        broken.nodes[1].code = broken.nodes[0].code.clone();
        let err = app.revise_import(kept.id, broken).await.unwrap_err();
        assert!(
            matches!(err, ServiceError::InvalidDocument { .. }),
            "{err:?}"
        );
        assert_eq!(app.get_import(kept.id).await.unwrap().document, edited);

        let plan = app.confirm_import(kept.id, None).await.unwrap();
        assert_eq!(plan.title.as_str(), "Harbor Falls Digital Plan");
        let err = app
            .revise_import(kept.id, kept.document.clone())
            .await
            .unwrap_err();
        assert!(matches!(err, ServiceError::Conflict { .. }), "{err:?}");
    }
}

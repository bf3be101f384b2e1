//! StratML Part 1 and Part 2 documents read into draft plans.

use lodestar_domain::document::MeasureEntry;
use lodestar_domain::{Frequency, Goal, MeasureDirection, ReportingPeriod, Target};
use lodestar_importer::stratml::read;
use lodestar_importer::{Draft, ImportError, ImportOptions, SourceKind, Warning, import};

const PLAN: &str = include_str!("fixtures/harbor-falls.stratml.xml");
const REPORT: &str = include_str!("fixtures/harbor-falls-performance.stratml.xml");

fn draft(text: &str, name: &str) -> Draft {
    let options = ImportOptions {
        source_name: name.into(),
        this_year: 2026,
        ..ImportOptions::default()
    };
    let draft = import(text.as_bytes(), &options).expect("imports");
    assert_eq!(draft.source, SourceKind::Stratml);
    assert!(
        draft.document.validate().is_ok(),
        "{:?}",
        draft.document.validate().err()
    );
    draft
}

/// The 1-based line of the first occurrence of `needle` after `after`.
fn line_of(text: &str, after: &str, needle: &str) -> u32 {
    let start = text.find(after).expect("anchor in fixture");
    let at = start + text[start..].find(needle).expect("needle in fixture");
    u32::try_from(text[..at].matches('\n').count() + 1).unwrap()
}

fn target(period: Option<&str>, value: f64) -> (Option<ReportingPeriod>, f64) {
    (period.map(|p| p.parse().unwrap()), value)
}

fn targets(measure: &MeasureEntry) -> Vec<(Option<ReportingPeriod>, f64)> {
    measure
        .targets
        .iter()
        .map(|Target { period, goal }| match goal {
            Goal::Value { value } => (*period, value.get()),
            Goal::Range { .. } => panic!("no ranges in StratML"),
        })
        .collect()
}

#[test]
fn a_strategic_plan_gives_title_organization_period_and_statements() {
    let outline = read(PLAN).unwrap();
    assert_eq!(
        outline.title.as_deref(),
        Some("City of Harbor Falls Information Technology Strategic Plan 2025–2028")
    );
    assert_eq!(
        outline.organization.as_deref(),
        Some("City of Harbor Falls")
    );
    assert_eq!(outline.period, Some((2025, 2028)));
    assert_eq!(
        outline.vision.as_deref(),
        Some(
            "A connected city where every resident can reach every city service online, securely, at any hour."
        )
    );
    assert!(outline.mission.unwrap().starts_with("We deliver reliable"));
    assert_eq!(outline.levels, ["Goal", "Objective"]);
    let principles: Vec<(&str, Option<&str>)> = outline
        .principles
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_deref()))
        .collect();
    assert_eq!(
        principles,
        [
            (
                "Residents first",
                Some("We design services around the people who use them.")
            ),
            (
                "Open by default",
                Some("We publish data and code unless there is a reason not to.")
            ),
            ("Secure and resilient", None),
        ]
    );
}

#[test]
fn goals_and_objectives_keep_their_numbers_lines_and_stakeholders() {
    let outline = read(PLAN).unwrap();
    let goals: Vec<(&str, &str)> = outline
        .nodes
        .iter()
        .map(|g| (g.code.as_deref().unwrap(), g.title.as_str()))
        .collect();
    assert_eq!(
        goals,
        [
            ("1", "Digital services for every resident"),
            ("2", "Secure, reliable infrastructure"),
            ("3", "Open and data-driven government"),
        ]
    );
    let first = &outline.nodes[0];
    assert_eq!(first.line, Some(line_of(PLAN, "<Goal>", "<Goal>")));
    let objectives: Vec<&str> = first
        .children
        .iter()
        .map(|o| o.code.as_deref().unwrap())
        .collect();
    assert_eq!(objectives, ["1.1", "1.2"]);
    assert_eq!(first.children[0].title, "Put building permits online");
    assert!(
        first
            .description
            .as_deref()
            .unwrap()
            .ends_with("Stakeholders: Residents, Permits Office.")
    );
    let security = &outline.nodes[1];
    assert!(
        security
            .description
            .as_deref()
            .unwrap()
            .contains("municipal cybersecurity framework")
    );
}

#[test]
fn an_objective_without_a_name_is_titled_by_its_first_sentence() {
    let outline = read(PLAN).unwrap();
    let recovery = &outline.nodes[1].children[1];
    assert_eq!(
        recovery.title,
        "Test the disaster recovery plan twice a year"
    );
    assert!(
        recovery
            .description
            .as_deref()
            .unwrap()
            .contains("restores the finance and public safety systems")
    );
    let line = line_of(PLAN, "Retire the permitting mainframe", "<Objective>");
    assert!(
        outline
            .warnings
            .iter()
            .any(|w| w.line == Some(line) && w.message.contains("no name")),
        "{:?}",
        outline.warnings
    );
}

#[test]
fn a_strategic_plan_imports_as_a_valid_draft() {
    let draft = draft(PLAN, "harbor-falls.stratml.xml");
    let doc = &draft.document;
    assert_eq!(doc.organization.name.as_str(), "City of Harbor Falls");
    assert_eq!((doc.period.start_year, doc.period.end_year), (2025, 2028));
    assert_eq!(doc.levels.describe(), "Goal, Objective");
    assert_eq!(doc.principles.len(), 3);
    assert_eq!(doc.nodes.len(), 3);
    assert_eq!(
        doc.nodes[2].children[0].code.as_ref().unwrap().as_str(),
        "3.1"
    );
    assert!(draft.observations.is_empty());
}

#[test]
fn performance_indicators_become_measures_with_targets_and_a_baseline() {
    let draft = draft(REPORT, "harbor-falls-performance.stratml.xml");
    let doc = &draft.document;
    assert_eq!((doc.period.start_year, doc.period.end_year), (2025, 2026));
    let permits = &doc.nodes[0].children[0].measures;
    assert_eq!(permits.len(), 2);

    let online = &permits[0];
    assert_eq!(
        online.key.as_str(),
        "building_permit_applications_submitted_online"
    );
    assert_eq!(
        online.name.as_str(),
        "Building permit applications submitted online"
    );
    assert_eq!(online.unit.as_ref().unwrap().as_str(), "Percent");
    assert_eq!(online.direction, MeasureDirection::HigherIsBetter);
    assert_eq!(online.frequency, Frequency::Annually);
    assert_eq!(
        targets(online),
        [target(Some("2025"), 60.0), target(Some("2026"), 80.0)]
    );
    let baseline = online.baseline.unwrap();
    assert_eq!(baseline.value.get(), 35.0);
    assert_eq!(baseline.date.unwrap().to_string(), "2024-12-31");
    let description = online.description.as_ref().unwrap().as_str();
    assert!(description.contains("monthly export"), "{description}");
    assert!(
        description.contains("Value chain stage: Output."),
        "{description}"
    );

    let review = &permits[1];
    assert_eq!(review.key.as_str(), "reduce_average_permit_review_time");
    assert_eq!(review.direction, MeasureDirection::LowerIsBetter);
    assert_eq!(review.frequency, Frequency::Quarterly);
    assert_eq!(
        targets(review),
        [
            target(Some("2025-Q1"), 30.0),
            target(Some("2025-Q2"), 25.0),
            target(Some("2025-Q3"), 20.0),
            target(Some("2025-Q4"), 15.0),
        ]
    );
}

#[test]
fn measures_with_the_same_name_get_unique_keys_and_their_own_periods() {
    let draft = draft(REPORT, "report.xml");
    let security = &draft.document.nodes[1];
    let monthly = &security.children[0].measures[0];
    let backup = &security.children[1].measures[0];
    assert_eq!(monthly.key.as_str(), "website_uptime");
    assert_eq!(monthly.frequency, Frequency::Monthly);
    assert_eq!(
        targets(monthly),
        [target(Some("2025-01"), 99.9), target(Some("2025-02"), 99.9)]
    );
    assert_eq!(backup.key.as_str(), "website_uptime_2");
    assert_eq!(
        targets(backup),
        [target(Some("FY2025"), 99.5), target(None, 99.9)]
    );
}

#[test]
fn actual_results_become_observations_to_record() {
    let draft = draft(REPORT, "report.xml");
    let observations: Vec<(&str, String, f64, Option<&str>)> = draft
        .observations
        .iter()
        .map(|o| {
            (
                o.measure.as_str(),
                o.period.to_string(),
                o.value.get(),
                o.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        observations,
        [
            (
                "building_permit_applications_submitted_online",
                "2025".to_owned(),
                57.5,
                Some("Two permit types stayed paper-only until June.")
            ),
            (
                "reduce_average_permit_review_time",
                "2025-Q1".to_owned(),
                31.0,
                None
            ),
            (
                "reduce_average_permit_review_time",
                "2025-Q2".to_owned(),
                24.0,
                Some("New online intake form went live in May.")
            ),
            ("website_uptime", "2025-01".to_owned(), 99.95, None),
            (
                "website_uptime",
                "2025-02".to_owned(),
                99.7,
                Some("Four-hour outage during the storm of 11 February.")
            ),
            ("website_uptime_2", "FY2025".to_owned(), 99.8, None),
        ]
    );
}

#[test]
fn results_that_are_not_numbers_are_kept_as_text_with_a_warning_at_their_line() {
    let draft = draft(REPORT, "report.xml");
    let satisfaction = &draft.document.nodes[0].children[1].measures[0];
    assert_eq!(
        satisfaction.key.as_str(),
        "resident_satisfaction_with_311_service"
    );
    assert!(satisfaction.targets.is_empty());
    let description = satisfaction.description.as_ref().unwrap().as_str();
    assert!(
        description.contains("Target for 2025: Rating: Good"),
        "{description}"
    );
    assert!(
        description.contains("Result for 2025: Rating: Fair (From the annual resident survey.)"),
        "{description}"
    );
    let warned = |line: u32| -> Option<&Warning> {
        draft
            .warnings
            .iter()
            .find(|w| w.line == Some(line) && w.message.contains("not a number"))
    };
    let anchor = "Resident satisfaction with 311 service";
    assert!(
        warned(line_of(REPORT, anchor, "<TargetResult>")).is_some(),
        "{:?}",
        draft.warnings
    );
    assert!(
        warned(line_of(REPORT, anchor, "<ActualResult>")).is_some(),
        "{:?}",
        draft.warnings
    );
    assert!(
        !draft
            .observations
            .iter()
            .any(|o| o.measure == satisfaction.key)
    );
}

#[test]
fn falling_targets_on_a_higher_is_better_measure_are_questioned() {
    let doc = r#"<PerformancePlanOrReport Type="Performance_Plan"><Name>Plan 2025-2026</Name>
<StrategicPlanCore><Goal><Name>Reliable systems</Name><Description>d</Description>
<Objective><Name>Fewer outages</Name>
<PerformanceIndicator><MeasurementDimension>Hours of unplanned downtime</MeasurementDimension><UnitOfMeasurement>Hours</UnitOfMeasurement>
<MeasurementInstance><TargetResult><EndDate>2025-12-31</EndDate><NumberOfUnits>40</NumberOfUnits></TargetResult>
<TargetResult><EndDate>2026-12-31</EndDate><NumberOfUnits>20</NumberOfUnits></TargetResult></MeasurementInstance>
</PerformanceIndicator></Objective></Goal></StrategicPlanCore></PerformancePlanOrReport>"#;
    let outline = read(doc).unwrap();
    let measure = &outline.nodes[0].children[0].measures[0];
    assert_eq!(measure.direction, MeasureDirection::HigherIsBetter);
    assert!(
        outline
            .warnings
            .iter()
            .any(|w| w.line == Some(4) && w.message.contains("fall over time")),
        "{:?}",
        outline.warnings
    );
}

#[test]
fn malformed_xml_is_an_error_at_its_line() {
    let broken = "<?xml version=\"1.0\"?>\n<StrategicPlan>\n  <Name>Plan</Name>\n  <StrategicPlanCore>\n    <Goal><Name>G</Goal>\n  </StrategicPlanCore>\n</StrategicPlan>\n";
    let err = import(broken.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Xml { line: 5, .. }), "{err:?}");
    assert!(err.to_string().contains("line 5"), "{err}");
}

#[test]
fn a_document_of_another_kind_of_xml_is_refused() {
    let err = read("<?xml version=\"1.0\"?>\n<rss><channel/></rss>").unwrap_err();
    match err {
        ImportError::Xml { line, message } => {
            assert_eq!(line, 2);
            assert!(message.contains("<StrategicPlan>"), "{message}");
        }
        other => panic!("expected an XML error, got {other:?}"),
    }
}

#[test]
fn doctype_entities_are_never_expanded() {
    let doc = r#"<?xml version="1.0"?>
<!DOCTYPE StrategicPlan [
  <!ENTITY secret SYSTEM "file:///etc/passwd">
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<StrategicPlan><Name>Plan &secret; &b;</Name><StrategicPlanCore>
<Goal><Name>Goal</Name><Description>d</Description></Goal></StrategicPlanCore></StrategicPlan>"#;
    let outline = read(doc).unwrap();
    assert_eq!(outline.title.as_deref(), Some("Plan &secret; &b;"));
    assert!(
        outline
            .warnings
            .iter()
            .any(|w| w.line == Some(7) && w.message.contains("&secret;"))
    );
}

#[test]
fn a_document_cut_short_anywhere_is_an_error_not_a_crash() {
    let end = PLAN.find("</StrategicPlan>").unwrap();
    for cut in (0..end).filter(|&c| PLAN.is_char_boundary(c)) {
        assert!(
            matches!(read(&PLAN[..cut]), Err(ImportError::Xml { .. })),
            "cut at {cut}"
        );
    }
}

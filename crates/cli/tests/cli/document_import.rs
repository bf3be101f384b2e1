//! Importing plan documents (dry runs, drafts with warnings, unreadable
//! files) and exporting to StratML.

use crate::harness::*;

use std::path::Path;

/// A small plan in plain text, as a PDF's text might read; it names no
/// organization, so its draft has a warning about that. The tests that read
/// it need the importer's text reader.
const TEXT_PLAN: &str = "Harbor Falls IT Plan 2026-2030\n\nGOAL 1: Residents first\n\
                         Objective 1.1: Open data\nObjective 1.2: One resident account\n\
                         GOAL 2: Reliable systems\nObjective 2.1: Replace the permit system\n";

/// The output of a dry run in JSON.
fn dry_run_json(db: &Database, file: &Path) -> (String, serde_json::Value) {
    let text = db.ok(&[&"import", &file, &"--dry-run", &"--format", &"json"]);
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (text, value)
}

#[test]
fn a_dry_run_prints_the_plan_and_its_warnings_as_json_and_stores_nothing() {
    let work = Workspace::new("dry_json");
    let db = work.sqlite("data");
    let file = work.write("harbor-falls.txt", TEXT_PLAN.as_bytes());
    let (text, plan) = dry_run_json(&db, &file);
    assert_eq!(plan["format"], "lodestar-plan/1", "{text}");
    assert_eq!(plan["status"], "draft");
    let goals = plan["nodes"].as_array().expect("top-level nodes");
    assert_eq!(goals.len(), 2, "{text}");
    assert_eq!(goals[0]["children"][1]["title"], "One resident account");
    let warnings = plan["warnings"].as_array().expect("top-level warnings");
    assert!(
        warnings.iter().any(|w| w["line"].is_null()
            && w["message"].as_str().unwrap().contains("organization")),
        "{text}"
    );
    assert!(
        text.find("\"nodes\"") < text.find("\"warnings\""),
        "the document's fields come first:\n{text}"
    );
    assert!(
        !work.path("data").exists(),
        "a dry run does not even open the database"
    );
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn a_dry_run_in_text_is_an_outline_with_the_warnings_in_place() {
    let work = Workspace::new("dry_text");
    let db = work.sqlite("data");
    let file = work.write("harbor-falls.txt", TEXT_PLAN.as_bytes());
    let outline = db.ok(&[&"import", &file, &"--dry-run", &"--key", &"hf-2026"]);
    let lines: Vec<&str> = outline.lines().collect();
    assert!(lines[0].contains("(hf-2026)"), "{outline}");
    let at = |wanted: &str| {
        lines
            .iter()
            .position(|l| *l == wanted)
            .unwrap_or_else(|| panic!("no line {wanted:?} in:\n{outline}"))
    };
    let general = lines
        .iter()
        .position(|l| l.starts_with("warning: ") && l.contains("organization"))
        .unwrap_or_else(|| panic!("no warning about the organization in:\n{outline}"));
    assert!(general < at("1 Residents first"), "{outline}");
    assert!(at("1 Residents first") < at("  1.1 Open data"));
    assert!(at("  1.2 One resident account") < at("2 Reliable systems"));
    let (_, plan) = dry_run_json(&db, &file);
    for w in plan["warnings"].as_array().unwrap() {
        let message = w["message"].as_str().unwrap();
        assert!(
            outline.contains(message),
            "{message:?} missing from:\n{outline}"
        );
    }
    assert!(
        lines
            .last()
            .unwrap()
            .ends_with("nothing was stored (dry run)")
    );
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn an_imported_document_becomes_a_draft_plan_that_keeps_its_warnings() {
    let work = Workspace::new("import_text");
    let file = work.write("harbor-falls.txt", TEXT_PLAN.as_bytes());
    for db in std::iter::once(work.sqlite("data")).chain(Database::postgres()) {
        let (_, preview) = dry_run_json(&db, &file);
        let imported = db.ok(&[
            &"import",
            &file,
            &"--key",
            &"hf-2026",
            &"--organization",
            &"City of Harbor Falls",
        ]);
        let mut lines = imported.lines();
        let first = lines.next().unwrap();
        assert!(
            first.starts_with("Imported plan ")
                && first.contains(" hf-2026: ")
                && first.ends_with("(5 nodes)"),
            "{imported}"
        );
        let expected: Vec<&serde_json::Value> = preview["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| !w["message"].as_str().unwrap().contains("organization"))
            .collect();
        if !expected.is_empty() {
            assert!(
                lines
                    .next()
                    .unwrap()
                    .contains("lodestar import-warnings hf-2026"),
                "{imported}"
            );
        }
        let listing = db.ok(&[&"plans"]);
        let row = listing.lines().find(|l| l.contains("hf-2026")).unwrap();
        assert!(row.contains("draft"), "{listing}");

        let kept = db.ok(&[&"import-warnings", &"hf-2026", &"--format", &"json"]);
        let kept: serde_json::Value = serde_json::from_str(&kept).unwrap();
        assert_eq!(
            kept.as_array().unwrap().iter().collect::<Vec<_>>(),
            expected,
            "the warnings of the import, less the one the organization option answers"
        );
        let text = db.ok(&[&"import-warnings", &"hf-2026"]);
        if expected.is_empty() {
            assert!(text.contains("no import warnings"), "{text}");
        } else {
            assert_eq!(text.lines().count(), expected.len(), "{text}");
        }

        let again = db.run_with(&[&"import", &file, &"--key", &"hf-2026"]);
        assert_eq!(again.status.code(), Some(1), "{}", describe(&again));
        assert!(
            stderr(&again).contains("already exists"),
            "{}",
            describe(&again)
        );
    }
}

#[test]
fn an_unreadable_file_is_refused_naming_it_and_nothing_is_stored() {
    let work = Workspace::new("unreadable");
    let db = work.sqlite("data");
    let binary = work.write("plan.bin", b"\x00\x01\x02\x03\xff\xfe binary");
    let output = db.run_with(&[&"import", &binary]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let expected = format!("error: {}: unrecognized document format", binary.display());
    assert!(
        stderr(&output).starts_with(&expected),
        "{}",
        describe(&output)
    );

    let empty = work.write("empty.txt", b"\n\n");
    let output = db.run_with(&[&"import", &empty, &"--dry-run"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).contains("the document is empty"),
        "{}",
        describe(&output)
    );

    let output = db.run_with(&[&"import", &binary, &"--key", &"Bad Key"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert!(
        stderr(&output).starts_with("error: --key: "),
        "{}",
        describe(&output)
    );
    assert!(db.ok(&[&"plans"]).starts_with("No plans"));
}

#[test]
fn a_plan_as_code_dry_run_is_its_json_export_with_no_warnings() {
    let work = Workspace::new("dry_code");
    let db = work.sqlite("data");
    db.ok(&[&"import", &sample_plan()]);
    let exported = work.path("plan.json");
    db.ok(&[&"export", &SAMPLE_KEY, &"-o", &exported]);
    let exported = std::fs::read_to_string(&exported).unwrap();

    let (text, mut preview) = dry_run_json(&db, &work.path("plan.json"));
    let fields = exported.trim_end().strip_suffix('}').unwrap().trim_end();
    assert!(
        text.starts_with(fields),
        "the export's text, then the warnings:\n{text}"
    );
    assert_eq!(preview["warnings"], serde_json::json!([]));
    preview.as_object_mut().unwrap().remove("warnings");
    let exported: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(preview, exported);
    let warnings = db.ok(&[&"import-warnings", &SAMPLE_KEY]);
    assert!(warnings.contains("no import warnings"), "{warnings}");
}

#[test]
fn a_plan_exports_as_stratml_part_2_or_part_1_and_imports_back() {
    let work = Workspace::new("stratml");
    let db = work.sqlite("db");
    db.ok(&[&"import", &sample_plan()]);
    let part2 = db.ok(&[&"export", &SAMPLE_KEY, &"--format", &"stratml"]);
    assert!(part2.contains("<PerformancePlanOrReport "), "{part2}");
    assert!(part2.contains("<PerformanceIndicator "));
    let out = work.path("plan.xml");
    let said = db.ok(&[&"export", &SAMPLE_KEY, &"--stratml-part", &"1", &"-o", &out]);
    assert!(said.starts_with("Exported plan "), "{said}");
    let part1 = std::fs::read_to_string(&out).expect("read the export");
    assert!(part1.contains("<StrategicPlan ") && !part1.contains("PerformanceIndicator"));

    let other = work.sqlite("other");
    let imported = other.ok(&[&"import", &out]);
    assert!(imported.starts_with("Imported plan "), "{imported}");
}

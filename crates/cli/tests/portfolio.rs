//! `lodestar proposal`, `portfolio`, `capacity` and `budget` (issue 8), the
//! real binary on SQLite and (when `LODESTAR_TEST_DATABASE_URL` is set)
//! PostgreSQL.

mod support;

use serde_json::Value;
use support::{Database, Workspace, describe};

const PLAN: &str = r#"
format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2028 }
status: active
levels: [Goal, Objective, Initiative]
nodes:
  - code: "1"
    title: Reliable services
    children:
      - { code: "1.1", title: Keep the portal up }
"#;

/// The databases to run on, each with the plan, an administrator
/// (ada@testwick.gov) and a viewer (val@testwick.gov).
fn databases(work: &Workspace) -> Vec<Database> {
    let mut databases = vec![work.sqlite("data")];
    match Database::postgres() {
        Some(postgres) => databases.push(postgres),
        None => eprintln!(
            "notice: {} is not set; ran on SQLite only",
            support::POSTGRES_ENV
        ),
    }
    let plan = work.path("plan.yaml");
    std::fs::write(&plan, PLAN).unwrap();
    for db in &databases {
        db.ok(&[&"import", &plan]);
        for (email, role) in [
            ("ada@testwick.gov", "administrator"),
            ("val@testwick.gov", "viewer"),
        ] {
            db.ok(&[&"user", &"add", &email, &"--name", &email, &"--role", &role]);
        }
    }
    databases
}

/// Writes a proposal file and adds it as the viewer: the new proposal's id.
fn add(db: &Database, work: &Workspace, name: &str, yaml: &str) -> String {
    let file = work.path(&format!("{}-{name}", db.backend()));
    std::fs::write(&file, yaml).unwrap();
    let said = db.ok(&[&"proposal", &"add", &file, &"--as", &"val@testwick.gov"]);
    said.strip_prefix("Created proposal ")
        .and_then(|rest| rest.split_once(' '))
        .map(|(id, _)| id.to_owned())
        .unwrap_or_else(|| panic!("{said}"))
}

fn tied(title: &str, extra: &str) -> String {
    format!("plan: testwick-it\ntitle: {title}\nrisk: high\nobjectives: [\"1.1\"]\n{extra}")
}

fn submit(db: &Database, id: &str) {
    db.ok(&[&"proposal", &"submit", &id, &"--as", &"val@testwick.gov"]);
}

/// Reviewed and approved by the administrator, confirming every checklist item.
fn approve(db: &Database, id: &str) {
    for to in ["reviewed", "approved"] {
        let said = db.ok(&[
            &"proposal",
            &"move",
            &id,
            &"--to",
            &to,
            &"--reason",
            &"board meeting",
            &"--check",
            &"1",
            &"--check",
            &"2",
            &"--as",
            &"ada@testwick.gov",
        ]);
        assert!(said.contains(&format!("to {to}")), "{said}");
    }
}

#[test]
fn submitting_without_a_tie_is_refused_with_the_field_and_exit_code_1() {
    let work = Workspace::new("portfolio_submit");
    for db in databases(&work) {
        let b = db.backend();
        let id = add(
            &db,
            &work,
            "untied.yaml",
            "plan: testwick-it\ntitle: Untied\nrisk: low\n",
        );
        let output = db.run(&[&"proposal", &"submit", &id, &"--as", &"val@testwick.gov"]);
        assert_eq!(output.status.code(), Some(1), "{b}: {}", describe(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("error: objectives: tie the proposal to at least one objective"),
            "{b}: {stderr}"
        );
        let listed = db.ok(&[&"proposal", &"list", &"--stage", &"draft"]);
        assert!(listed.contains("Untied"), "{b}: still a draft: {listed}");

        // A viewer may not pass the review gate: the roles allowed are named.
        let id = add(&db, &work, "tied.yaml", &tied("Portal monitoring", ""));
        submit(&db, &id);
        let output = db.run(&[
            &"proposal",
            &"move",
            &id,
            &"--to",
            &"reviewed",
            &"--reason",
            &"ok",
            &"--as",
            &"val@testwick.gov",
        ]);
        assert_eq!(output.status.code(), Some(1), "{b}: {}", describe(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("reviewer, plan-editor, administrator"),
            "{b}: {stderr}"
        );
    }
}

#[test]
fn a_proposal_file_with_unknown_references_names_the_file_and_fields() {
    let work = Workspace::new("portfolio_file");
    for db in databases(&work) {
        let b = db.backend();
        let file = work.path(&format!("{b}-bad.yaml"));
        std::fs::write(
            &file,
            "plan: testwick-it\ntitle: Bad\nrisk: high\nsponsor: Nobody\nobjectives: [\"9.9\"]\n",
        )
        .unwrap();
        let output = db.run(&[&"proposal", &"add", &file, &"--as", &"val@testwick.gov"]);
        assert_eq!(output.status.code(), Some(1), "{b}: {}", describe(&output));
        let stderr = String::from_utf8_lossy(&output.stderr);
        let name = file.display().to_string();
        assert!(
            stderr.contains(&format!(
                "{name}: sponsor: the organization has no person \"Nobody\""
            )),
            "{b}: {stderr}"
        );
        assert!(
            stderr.contains(&format!(
                "{name}: objectives[0]: plan testwick-it has no node 9.9"
            )),
            "{b}: {stderr}"
        );
        assert_eq!(
            db.ok(&[&"proposal", &"list"]).trim(),
            "No proposals.",
            "{b}"
        );
    }
}

#[test]
fn capacity_marks_the_over_allocated_month() {
    let work = Workspace::new("portfolio_capacity");
    for db in databases(&work) {
        let b = db.backend();
        db.ok(&[&"capacity", &"set", &"developer", &"2026-03", &"160"]);
        db.ok(&[&"capacity", &"set", &"developer", &"2026-04", &"160"]);
        let effort = "effort:\n  - { role: developer, month: 2026-03, hours: 200 }\n  - { role: developer, month: 2026-04, hours: 40 }\n";
        let id = add(&db, &work, "permits.yaml", &tied("Permit system", effort));
        submit(&db, &id);
        approve(&db, &id);

        let table = db.ok(&[&"capacity", &"--from", &"2026-03", &"--to", &"2026-04"]);
        let line = |month: &str| {
            table
                .lines()
                .find(|l| l.contains(month))
                .unwrap_or_else(|| panic!("{b}: no {month} in\n{table}"))
                .to_owned()
        };
        let march: Vec<String> = line("2026-03")
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            march,
            [
                "developer",
                "2026-03",
                "160",
                "200",
                "-40",
                "OVER-ALLOCATED"
            ],
            "{b}: {table}"
        );
        assert!(!line("2026-04").contains("OVER"), "{b}: {table}");
        assert!(
            table.contains("1 over-allocated role-month(s)"),
            "{b}: {table}"
        );

        let json: Value = serde_json::from_str(&db.ok(&[
            &"capacity",
            &"--from",
            &"2026-03",
            &"--to",
            &"2026-04",
            &"--json",
        ]))
        .unwrap();
        assert_eq!(json[0]["over_allocated"], true, "{b}");
        assert_eq!(json[1]["over_allocated"], false, "{b}");
    }
}

#[test]
fn the_portfolio_says_why_a_proposal_is_below_the_cut_line() {
    let work = Workspace::new("portfolio_cut");
    for db in databases(&work) {
        let b = db.backend();
        db.ok(&[
            &"budget",
            &"set",
            &"2026",
            &"--capital",
            &"100000",
            &"--operating",
            &"0",
        ]);
        let cost = |dollars: &str| {
            format!("costs:\n  - {{ fiscal_year: 2026, kind: capital, amount: {dollars} }}\n")
        };
        let first = add(
            &db,
            &work,
            "network.yaml",
            &tied("Network refresh", &cost("60000")),
        );
        submit(&db, &first);
        let second = add(
            &db,
            &work,
            "fiber.yaml",
            &tied("Fiber ring", &cost("\"$50,000\"")),
        );
        submit(&db, &second);

        let shown = db.ok(&[&"portfolio"]);
        let row = |title: &str| {
            shown
                .lines()
                .find(|l| l.contains(title))
                .unwrap_or_else(|| panic!("{b}: no {title} in\n{shown}"))
                .to_owned()
        };
        assert!(row("Network refresh").contains(" in "), "{b}: {shown}");
        let out = row("Fiber ring");
        assert!(out.contains("OUT"), "{b}: {shown}");
        assert!(
            out.contains("FY2026 capital: needs $50,000.00, $40,000.00 left"),
            "{b}: {shown}"
        );
        assert!(
            shown.contains("1 of 2 ranked proposal(s) above the cut line"),
            "{b}: {shown}"
        );

        let rollup = db.ok(&[&"budget"]);
        assert!(rollup.contains("FY2026  $100,000.00"), "{b}: {rollup}");
    }
}

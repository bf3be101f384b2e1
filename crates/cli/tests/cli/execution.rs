//! Check-ins, measure values from CSV, status and overdue reports.

use crate::harness::*;
use std::io::Write;
use std::process::Stdio;

/// A small plan with a measured objective and a monthly initiative that
/// started long ago and never had a check-in.
const SMALL_PLAN: &str = r#"format: lodestar-plan/1
organization: { name: Town of Testwick }
key: testwick-it
title: Testwick IT Plan
period: { start_year: 2025, end_year: 2029 }
status: active
levels: [Goal, Objective]
people:
  - { name: Ada Owner, email: ada@testwick.example.gov }
  - { name: Ben Owner, email: ben@testwick.example.gov }
nodes:
  - code: "1"
    title: Reliable services
    children:
      - code: "1.1"
        title: Keep the portal up
        owner: Ada Owner
        measures:
          - key: uptime
            name: Portal uptime
            unit: "%"
            direction: higher-is-better
            frequency: monthly
            targets: [{ period: "2026", value: 95 }]
          - key: tickets
            name: Tickets opened
            direction: lower-is-better
            frequency: monthly
      - code: "1.2"
        title: Retire the mainframe
        owner: Ben Owner
        cadence: monthly
        start_date: "2025-01-01"
"#;

const SMALL_KEY: &str = "testwick-it";

/// A fresh database holding [`SMALL_PLAN`].
fn small_plan(work: &Workspace) -> Database {
    let db = work.sqlite("data");
    let file = work.write("plan.yaml", SMALL_PLAN.as_bytes());
    let imported = db.ok(&[&"import", &file]);
    assert!(imported.contains(SMALL_KEY), "{imported}");
    db
}

/// The line of a text status report that shows the node with `code`.
fn status_line(report: &str, code: &str) -> String {
    let prefix = format!("{code} ");
    report
        .lines()
        .find(|line| line.trim_start().starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line for {code} in:\n{report}"))
        .to_owned()
}

#[test]
fn a_checkin_is_filed_and_the_status_report_shows_it() {
    let work = Workspace::new("checkin");
    let db = small_plan(&work);
    let before = db.ok(&[&"status", &SMALL_KEY]);
    assert!(
        before.starts_with("Plan testwick-it: Testwick IT Plan\n"),
        "{before}"
    );
    assert!(
        status_line(&before, "1.2").contains("not-started"),
        "{before}"
    );
    assert!(
        status_line(&before, "1.1").starts_with("  1.1 Keep the portal up"),
        "the outline is indented by depth:\n{before}"
    );

    let filed = db.ok(&[
        &"checkin",
        &"testwick-it:1.2",
        &"--status",
        &"at-risk",
        &"--percent",
        &"40",
        &"--note",
        &"The vendor slipped",
        &"--help-needed",
        &"A decision on the contract",
    ]);
    assert!(
        filed.starts_with("Checked in on 1.2 \"Retire the mainframe\": at-risk, 40% (check-in "),
        "{filed}"
    );

    let after = db.ok(&[&"status", &SMALL_KEY]);
    let line = status_line(&after, "1.2");
    assert!(line.contains("at-risk") && line.contains("40%"), "{after}");
    let summary = after.lines().last().unwrap();
    assert!(summary.starts_with("Summary: 3 nodes: "), "{after}");
    assert!(summary.contains("at-risk"), "{after}");

    let json: serde_json::Value =
        serde_json::from_str(&db.ok(&[&"status", &SMALL_KEY, &"--format", &"json"]))
            .expect("status --format json is JSON");
    let node = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"]["code"] == "1.2")
        .unwrap_or_else(|| panic!("no node 1.2 in {json}"));
    assert_eq!(node["status"]["status"], "at-risk", "{json}");
    assert_eq!(node["depth"], 1, "{json}");
    assert_eq!(json["plan"]["key"], SMALL_KEY, "{json}");

    // The other ways to name the node and the author.
    let filed = db.ok(&[
        &"checkin",
        &"1.2",
        &"--plan",
        &SMALL_KEY,
        &"--status",
        &"On Track",
        &"--author",
        &"ada owner",
    ]);
    assert!(filed.contains(": on-track (check-in "), "{filed}");
    let id = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"]["code"] == "1.1")
        .unwrap()["node"]["id"]
        .to_string();
    let filed = db.ok(&[&"checkin", &id, &"--status", &"completed"]);
    assert!(
        filed.starts_with("Checked in on 1.1 \"Keep the portal up\": completed, 100% "),
        "{filed}"
    );
}

#[test]
fn a_wrong_checkin_names_the_option_and_stores_nothing() {
    let work = Workspace::new("bad_checkin");
    let db = small_plan(&work);
    let before = db.ok(&[&"status", &SMALL_KEY]);
    let cases: [(&[&str], &str); 7] = [
        (
            &["testwick-it:1.2", "--status", "at-risk", "--percent", "140"],
            "--percent",
        ),
        (&["testwick-it:1.2", "--status", "late"], "--status"),
        (
            &[
                "testwick-it:1.2",
                "--status",
                "on-track",
                "--date",
                "2026-02-30",
            ],
            "--date",
        ),
        (
            &[
                "testwick-it:1.2",
                "--status",
                "on-track",
                "--date",
                "2199-01-01",
            ],
            "--date",
        ),
        (
            &[
                "testwick-it:1.2",
                "--status",
                "on-track",
                "--author",
                "Nobody",
            ],
            "no person named \"Nobody\" in Town of Testwick",
        ),
        (
            &["testwick-it:9.9", "--status", "on-track"],
            "has no node with code 9.9",
        ),
        (&["1.2", "--status", "on-track"], "--plan"),
    ];
    for (args, expected) in cases {
        let mut argv = vec!["checkin"];
        argv.extend_from_slice(args);
        let output = db.run(&argv);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{argv:?}\n{}",
            describe(&output)
        );
        let err = stderr(&output);
        assert!(err.starts_with("error: "), "{argv:?}\n{err}");
        assert!(
            err.contains(expected),
            "{argv:?}: {expected:?} missing from\n{err}"
        );
        assert!(output.stdout.is_empty(), "{argv:?}\n{}", describe(&output));
    }
    assert_eq!(
        db.ok(&[&"status", &SMALL_KEY]),
        before,
        "a refused check-in changed the status"
    );
    assert!(
        db.ok(&[&"overdue"]).contains("never"),
        "a refused check-in was stored"
    );

    let output = db.run(&[
        "checkin",
        "testwick-it:1.2",
        "--status",
        "on-track",
        "--percent",
        "lots",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        stderr(&output).contains("--percent"),
        "{}",
        describe(&output)
    );
}

#[test]
fn measure_values_are_imported_from_csv_once_and_all_or_nothing() {
    let work = Workspace::new("measures");
    let db = small_plan(&work);
    let good = work.write(
        "values.csv",
        b"measure,period,value\nuptime,2026-01,99.5\nuptime,2026-02,97\ntickets,2026-02,120\n",
    );
    let first = db.ok(&[&"measures", &"import", &good, &"--plan", &SMALL_KEY]);
    assert_eq!(
        first,
        format!("{}: 3 inserted, 0 updated, 0 unchanged\n", good.display())
    );
    let again = db.ok(&[&"measures", &"import", &good, &"--plan", &SMALL_KEY]);
    assert_eq!(
        again,
        format!("{}: 0 inserted, 0 updated, 3 unchanged\n", good.display())
    );

    let report = db.ok(&[&"status", &SMALL_KEY]);
    let uptime = report
        .lines()
        .find(|l| l.starts_with("uptime "))
        .unwrap_or_else(|| panic!("no uptime row in:\n{report}"));
    assert!(
        uptime.contains("2026-02") && uptime.contains("97%"),
        "{report}"
    );
    assert!(report.contains("Portal uptime"), "{report}");

    let bad = work.write(
        "bad.csv",
        b"measure,period,value\nuptime,2026-03,98\nuptime,2026-04,9 7\nuptme,2026-04,1\n",
    );
    let output = db.run_with(&[&"measures", &"import", &bad, &"--plan", &SMALL_KEY]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    let err = stderr(&output);
    for place in ["row 3 column value: ", "row 4 column measure: "] {
        let expected = format!("{}: {place}", bad.display());
        assert!(
            err.lines().any(|l| l.starts_with(&expected)),
            "no line {expected} in:\n{err}"
        );
    }
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with(&format!("error: {}", bad.display()))
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert!(output.stdout.is_empty(), "{}", describe(&output));

    // Row 2 of the refused file was good, yet it was not stored.
    let mut child = lodestar()
        .args(&db.args)
        .args(["measures", "import", "-", "--plan", SMALL_KEY])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lodestar");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"measure,period,value\nuptime,2026-03,98\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", describe(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "<stdin>: 1 inserted, 0 updated, 0 unchanged\n"
    );
}

#[test]
fn overdue_lists_a_node_that_never_checked_in_until_it_does() {
    let work = Workspace::new("overdue");
    let db = small_plan(&work);
    for args in [&["overdue"][..], &["overdue", "--plan", SMALL_KEY]] {
        let listing = db.run(args);
        assert!(listing.status.success(), "{}", describe(&listing));
        let listing = String::from_utf8(listing.stdout).unwrap();
        let mut lines = listing.lines();
        let heading = lines.next().unwrap();
        assert!(
            heading.starts_with("DAYS  PLAN") && heading.ends_with("LAST CHECK-IN"),
            "{listing}"
        );
        let row = lines
            .next()
            .unwrap_or_else(|| panic!("no row in:\n{listing}"));
        for cell in [
            SMALL_KEY,
            "1.2",
            "Retire the mainframe",
            "Ben Owner",
            "ben@testwick.example.gov",
            "never",
        ] {
            assert!(row.contains(cell), "{cell:?} missing from:\n{listing}");
        }
        let days: i64 = row
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .expect("days first");
        assert!(days > 0, "{listing}");
        assert_eq!(lines.next(), None, "only 1.2 has a cadence:\n{listing}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&db.ok(&[&"overdue", &"--format", &"json"])).unwrap();
    assert_eq!(json[0]["code"], "1.2", "{json}");
    assert_eq!(json[0]["last_checkin"], serde_json::Value::Null, "{json}");

    db.ok(&[&"checkin", &"testwick-it:1.2", &"--status", &"on-track"]);
    assert_eq!(db.ok(&[&"overdue"]), "No updates are overdue.\n");
    assert_eq!(db.ok(&[&"overdue", &"--format", &"json"]).trim(), "[]");

    let output = db.run(&["overdue", "--plan", "nope"]);
    assert_eq!(output.status.code(), Some(1), "{}", describe(&output));
    assert_eq!(stderr(&output).trim_end(), "error: plan nope not found");
}

#[test]
fn help_describes_the_execution_commands() {
    let help = |args: &[&str]| {
        let output = lodestar().args(args).output().unwrap();
        assert!(output.status.success(), "{}", describe(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let top = help(&["--help"]);
    for word in ["checkin", "measures", "status", "overdue"] {
        assert!(top.contains(word), "{word:?} missing from:\n{top}");
    }
    let checkin = help(&["checkin", "--help"]);
    for word in [
        "PLAN:CODE",
        "--status",
        "--percent",
        "--note",
        "--help-needed",
        "--author",
        "--date",
        "--plan",
    ] {
        assert!(checkin.contains(word), "{word:?} missing from:\n{checkin}");
    }
    let import = help(&["measures", "import", "--help"]);
    for word in ["--plan", "row and column", "unchanged"] {
        assert!(import.contains(word), "{word:?} missing from:\n{import}");
    }
    assert!(help(&["status", "--help"]).contains("--format"));
    assert!(help(&["overdue", "--help"]).contains("cadence"));
}

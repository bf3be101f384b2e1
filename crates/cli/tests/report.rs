//! `lodestar report` as a user runs it: the sample plan's report card for a
//! year written as Markdown, CSV and HTML files (and to standard output),
//! and the refusals, each naming what is wrong.

mod support;

use support::{Workspace, describe, sample_plan};

const SAMPLE_KEY: &str = "harbor-falls-it-2025";

/// The sample plan's goals.
const GOALS: [&str; 5] = [
    "Resident-Centered Digital Services",
    "Secure and Resilient City Technology",
    "Modern Systems and Infrastructure",
    "Data-Informed Government",
    "A Skilled and Supported Workforce",
];

#[test]
fn the_report_card_is_written_as_markdown_csv_and_html() {
    let work = Workspace::new("report");
    let db = work.sqlite("data");
    db.ok(&[&"import", &sample_plan()]);

    let md = work.path("report.md");
    let said = db.ok(&[&"report", &SAMPLE_KEY, &"--period", &"2026", &"-o", &md]);
    assert!(
        said.starts_with("Wrote the 2026 report card of plan"),
        "{said}"
    );
    let text = std::fs::read_to_string(&md).unwrap();
    for title in GOALS {
        assert!(text.contains(title), "{title} missing from\n{text}");
    }
    assert!(text.contains("**Overall grade: "), "{text}");

    let csv = work.path("report.csv");
    db.ok(&[&"report", &"1", &"--period", &"2026", &"-o", &csv]);
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "level,code,title,grade,score,basis");
    let goal_rows = lines.iter().filter(|l| l.starts_with("goal,")).count();
    let objective_rows = lines.iter().filter(|l| l.starts_with("objective,")).count();
    assert_eq!((goal_rows, objective_rows), (5, 18), "{text}");
    assert_eq!(lines.len(), 1 + 5 + 18, "{text}");

    let html = work.path("report.html");
    db.ok(&[
        &"report",
        &SAMPLE_KEY,
        &"--period",
        &"2026",
        &"--format",
        &"html",
        &"-o",
        &html,
    ]);
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.starts_with("<!doctype html>"), "{}", &text[..100]);
    assert!(text.contains("<style>"), "the stylesheet is embedded");
    assert!(
        !text.contains("/static/lodestar.css"),
        "no link to the server"
    );
    assert!(text.contains("Overall grade: "));

    let stdout = db.ok(&[
        &"report",
        &SAMPLE_KEY,
        &"--period",
        &"2026",
        &"--format",
        &"csv",
        &"-o",
        &"-",
    ]);
    assert_eq!(
        stdout,
        std::fs::read_to_string(&csv).unwrap(),
        "-o - writes to standard output"
    );
    let levels = db.ok(&[
        &"report",
        &SAMPLE_KEY,
        &"--period",
        &"2026",
        &"--levels",
        &"--format",
        &"csv",
    ]);
    assert!(
        levels.lines().skip(1).all(
            |l| ["Exceeds", "Meets", "Approaching", "Below", "Not graded"]
                .iter()
                .any(|g| l.contains(&format!(",{g},")))
        ),
        "{levels}"
    );
}

#[test]
fn bad_requests_are_refused_with_the_reason() {
    let work = Workspace::new("report-refusals");
    let db = work.sqlite("data");
    db.ok(&[&"import", &sample_plan()]);
    let fails = |args: &[&dyn AsRef<std::ffi::OsStr>], wanted: &str| {
        let out = db.run(args);
        assert!(!out.status.success(), "{}", describe(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(wanted), "{wanted:?} not in {err}");
    };
    fails(
        &[&"report", &SAMPLE_KEY, &"--period", &"2040"],
        "outside the plan's period",
    );
    fails(
        &[
            &"report",
            &SAMPLE_KEY,
            &"--period",
            &"2026",
            &"--format",
            &"pdf",
        ],
        "needs a file",
    );
    fails(
        &[&"report", &"no-such-plan", &"--period", &"2026"],
        "no-such-plan",
    );
}
